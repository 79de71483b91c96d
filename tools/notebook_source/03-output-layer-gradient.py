# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 3 · The output-layer gradient
#
# Training changes each weight a little in the direction that lowers the loss. For that we need
# $\partial L / \partial w$: how fast $L$ changes when one weight changes. This notebook computes
# it for the weights into the outputs, exactly as the homework does for $w_7$.
#
# **Learning goals.** After this notebook you can
#
# * write $\partial L / \partial w_7$ as a product of three factors by the chain rule, and compute each;
# * derive $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ and use it from a unit's output;
# * compute the gradients of $w_5, w_6, w_7, w_8$ and the shared bias $b_2$;
# * check any gradient against finite differences and read a relative error.


# %%
import matplotlib.pyplot as plt
import nnkit
import nnkit.viz
from nnkit.feedback import check_function, passed
import nnkit.grading


# %% [markdown]
# ## The chain for $w_7$
#
# $w_7$ reaches the loss along one path: it changes $O_{2i}$, which changes $O_2$, which changes $L$.
# The chain rule multiplies the rate of change along each link:
#
# $$\frac{\partial L}{\partial w_7} = \frac{\partial L}{\partial O_2} \cdot \frac{\partial O_2}{\partial O_{2i}} \cdot \frac{\partial O_{2i}}{\partial w_7}$$
#
# We compute the three factors one at a time, starting from the forward pass:


# %%
params = nnkit.homework_params()
x, target = nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
f = nnkit.forward(params, x)
print(f"h1_out = {f.h1_out:.6f}   O2 = {f.o2_out:.6f}   target Ô2 = {target[1]}")


# %% [markdown]
# **Factor 1** — the loss's slope (notebook 2): $\dfrac{\partial L}{\partial O_2} = 2\,(O_2 - \hat{O}_2)$.


# %%
dL_do2_out = 2 * (f.o2_out - target[1])
print(f"∂L/∂O2 = {dL_do2_out:.6f}")


# %% [markdown]
# **Factor 2** — the sigmoid's slope. With $\sigma(z) = (1 + e^{-z})^{-1}$ the quotient rule gives
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}$$
#
# Backpropagation only keeps the unit's **output** $O_2 = \sigma(O_{2i})$, not $e^{-z}$. Can the slope
# be written with the output alone?
#
# ### Exercise 1 — the sigmoid's slope from its output (2 points)
#
# Rewrite $\sigma'(z)$ using only `out` $= \sigma(z)$ (hint: solve $\text{out} = 1/(1 + e^{-z})$ for
# $e^{-z}$ and substitute), then write `sigmoid_slope(out)`. No `nnkit` function is needed.


# %% nbgrader={"grade_id": "nb03-sigmoid-slope", "solution": true} nnkit={"may_use": []}
def sigmoid_slope(out):
    """σ'(z) written with the unit's output out = σ(z)."""
    ### BEGIN SOLUTION
    return out * (1 - out)
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb03-sigmoid-slope-tests", "points": 2}
def sigmoid_slope_by_differences(z, h=1e-6):
    """The slope of σ at z by central differences: an independent check."""
    sigma = nnkit.homework.sigmoid
    return (sigma(z + h) - sigma(z - h)) / (2 * h)


check_function(sigmoid_slope, [((nnkit.homework.sigmoid(z),), sigmoid_slope_by_differences(z))
                               for z in (f.o2_in, -2.0, 0.0, 3.5)],
               rtol=1e-6, hint="e^(−z) = 1/out − 1; substitute it into e^(−z) / (1 + e^(−z))²",
               slips=[("you returned σ(out), the sigmoid of the output, not its slope",
                       lambda out: nnkit.homework.sigmoid(out)),
                      ("out·(1 + out): a sign inside the bracket", lambda out: out * (1 + out)),
                      ("1 − out: one factor of σ(z)·(1 − σ(z)) is missing", lambda out: 1 - out)])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
for case in [dict(out=0.125), dict(out=0.5), dict(out=0.93)]:
    verify("sigmoid_prime_from_output", sigmoid_slope, **case)
### END HIDDEN TESTS


# %% [markdown]
# The substitution: $e^{-z} = \tfrac{1}{\sigma} - 1 = \tfrac{1 - \sigma}{\sigma}$ and $1 + e^{-z} = \tfrac{1}{\sigma}$, so
#
# $$\sigma'(z) = \frac{(1 - \sigma)/\sigma}{1/\sigma^2} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) \qquad\text{and}\qquad \frac{\partial O_2}{\partial O_{2i}} = O_2 (1 - O_2)$$
#
# **Factor 3** — $O_{2i} = w_7 h_{1o} + w_8 h_{2o} + b_2$ changes with $w_7$ at the rate
# $\dfrac{\partial O_{2i}}{\partial w_7} = h_{1o}$: the value that travels along $w_7$.
#
# Multiplying the three:


# %%
do2_out_do2_in = f.o2_out * (1 - f.o2_out)
do2_in_dw7 = f.h1_out
dL_dw7 = dL_do2_out * do2_out_do2_in * do2_in_dw7
print(f"∂L/∂O2      = {dL_do2_out:.6f}")
print(f"∂O2/∂O2i    = {do2_out_do2_in:.6f}")
print(f"∂O2i/∂w7    = {do2_in_dw7:.6f}")
print(f"∂L/∂w7      = {dL_dw7:.6f}")


# %% [markdown]
# ### Predict, then run
#
# A gradient says how much $L$ changes per unit change of the weight. **Predict** before you run
# the next cell: if $w_7$ grows by $0.01$, will $L$ go up or down, and by roughly how much? (Hint:
# $\Delta L \approx \partial L/\partial w_7 \cdot \Delta w_7$.)


# %%
nudged = {**params, "w7": params["w7"] + 0.01}
change = nnkit.loss(nnkit.forward(nudged, x), target) - nnkit.loss(f, target)
print(f"predicted by the gradient: ΔL ≈ {dL_dw7 * 0.01:+.7f}")
print(f"measured:                  ΔL = {change:+.7f}")


# %% [markdown]
# ### Exercise 2 — a gradient of your own: $\partial L/\partial w_6$ (3 points)
#
# $w_6$ is another output-layer weight. Find on the figure of notebook 1 which unit it comes
# **from** and which output it goes **into**; then write its chain of three factors, as the cell
# above did for $w_7$, and code it as `dL_dw6(params, x, target)` for **any** parameters, input and
# target. You may call `nnkit.forward` (and nothing else from `nnkit`); the loss is
# $L = (O_1 - \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$.


# %% nbgrader={"grade_id": "nb03-dL-dw6", "solution": true} nnkit={"may_use": ["forward"]}
def dL_dw6(params, x, target):
    """∂L/∂w6 for L = (O1 − Ô1)² + (O2 − Ô2)², by the chain rule."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    dL_do1_out = 2 * (f.o1_out - target[0])
    do1_out_do1_in = f.o1_out * (1 - f.o1_out)
    do1_in_dw6 = f.h2_out
    return dL_do1_out * do1_out_do1_in * do1_in_dw6
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb03-dL-dw6-tests", "points": 3}
from fixtures import VISIBLE_PARAMS


def gradient_of(name):
    """∂L/∂name by nnkit.backward, as a function of (params, x, target)."""
    return lambda params, x, target: nnkit.backward(params, x, target)[name]


check_function(dL_dw6, [
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), gradient_of("w6")(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))),
    ((VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75)), gradient_of("w6")(VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75))),
], hint="w6 carries h2_out into O1: the loss's slope for O1, the sigmoid's slope at O1, then h2_out",
   slips=[("the homework's value, whatever the inputs: compute it from params, x and target",
           lambda *a: nnkit.backward(nnkit.homework_params())["w6"]),
          ("∂L/∂w8: you followed O2 (w7's output) instead of O1, which w6 goes into", gradient_of("w8")),
          ("∂L/∂w5: you used h1_out, but w6 carries h2_out", gradient_of("w5")),
          ("∂L/∂w7, the worked example: w6 goes into O1 and carries h2_out", gradient_of("w7")),
          ("the sign is flipped: the loss's slope is 2(O1 − Ô1), output minus target",
           lambda *a: -gradient_of("w6")(*a)),
          ("a factor ½: the slope of (O1 − Ô1)² is 2(O1 − Ô1) (no ½ in this L)",
           lambda *a: gradient_of("w6")(*a) / 2)])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("dL_dw6", dL_dw6, params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0])
verify("dL_dw6", dL_dw6, params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# ## The other output weights, and $b_2$
#
# You now have the pattern: a weight into $O_k$ has the chain (slope of the loss at $O_k$) ×
# (sigmoid's slope at $O_k$) × (the value that travels along the weight).
#
# The bias $b_2$ is different: it is **shared** — added in $O_{1i}$ *and* in $O_{2i}$. Before the
# next exercise, trace on the figure every way a small change of $b_2$ reaches $L$.
#
# ### Exercise 3 — all output-layer gradients (3 points)
#
# Write `output_layer_gradients(params, x, target)` returning a dict with keys `"w5"`, `"w6"`,
# `"w7"`, `"w8"`, `"b2"`. Compute the product $\partial L/\partial O_k \cdot O_k (1 - O_k)$ once per output
# and reuse it (the next notebook calls it $\delta_k$). You may call `nnkit.forward`.


# %% nbgrader={"grade_id": "nb03-output-gradients", "solution": true} nnkit={"may_use": ["forward"]}
def output_layer_gradients(params, x, target):
    """{"w5", "w6", "w7", "w8", "b2"}: ∂L/∂p for the parameters of the output layer."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    dL_do1_in = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
    dL_do2_in = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
    return {"w5": dL_do1_in * f.h1_out, "w6": dL_do1_in * f.h2_out,
            "w7": dL_do2_in * f.h1_out, "w8": dL_do2_in * f.h2_out, "b2": dL_do1_in + dL_do2_in}
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb03-output-gradients-tests", "points": 3}
from fixtures import VISIBLE_PARAMS

OUTPUT_LAYER = ("w5", "w6", "w7", "w8", "b2")


def expected_gradients(params, x, target):
    grads = nnkit.backward(params, x, target)
    return {name: grads[name] for name in OUTPUT_LAYER}


def one_path_of_b2(output):
    """The gradients with b2 taken along the path through one output only (a slip)."""
    def wrong(params, x, target):
        f, grads = nnkit.forward(params, x), expected_gradients(params, x, target)
        o, t = (f.o1_out, target[0]) if output == 1 else (f.o2_out, target[1])
        return {**grads, "b2": 2 * (o - t) * o * (1 - o)}
    return wrong


check_function(output_layer_gradients, [
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), expected_gradients(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))),
    ((VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75)), expected_gradients(VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75))),
], hint="w5, w6 go through O1; w7, w8 through O2; b2 through both",
   slips=[("b2 along one path only (through O1): b2 is added in O1_in and in O2_in, so add both paths",
           one_path_of_b2(1)),
          ("b2 along one path only (through O2): b2 is added in O1_in and in O2_in, so add both paths",
           one_path_of_b2(2))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("output_layer_gradients", output_layer_gradients, params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0])
verify("output_layer_gradients", output_layer_gradients, params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# `nnkit.explain` writes each of these chains with the homework's numbers (computed by
# `nnkit.backward`, independently of your code). $b_2$'s gradient is the sum of two paths, one per
# output, each with $\partial O_{ki}/\partial b_2 = 1$:


# %%
for name in ("w5", "w6", "w7", "w8", "b2"):
    print(nnkit.explain(name))


# %% [markdown]
# ## Checking gradients by finite differences
#
# A derivative is a limit of slopes, so we can estimate it without any calculus: nudge one
# parameter by a small $h$ either way and measure the loss,
#
# $$\frac{\partial L}{\partial w} \approx \frac{L(w + h) - L(w - h)}{2h}$$
#
# `nnkit.numerical_gradient` does this for every parameter. We compare with the chain rule using
# the **relative error** $|a - b| / (|a| + |b|)$: around $10^{-7}$ or below means they agree,
# around $10^{-2}$ or above means a mistake.


# %%
def homework_loss(p):
    return nnkit.loss(nnkit.forward(p, x), target)

numeric = nnkit.numerical_gradient(homework_loss, params, h=1e-5)
grads = nnkit.backward(params, x, target)
print(f"{'param':<6} {'chain rule':>12} {'finite diff.':>13} {'rel. error':>11}")
for name in ("w5", "w6", "w7", "w8", "b2"):
    error = nnkit.rel_error(grads[name], numeric[name])
    print(f"{name:<6} {grads[name]:>12.6f} {numeric[name]:>13.6f} {error:>11.1e}")


# %% [markdown]
# The network with every output-layer gradient written on its arrow (the figure shows all ten; the
# hidden ones are the next notebook's subject):


# %%
nnkit.viz.draw_network(values=f, grads=grads,
                       title="Gradients ∂L/∂w on the homework network")
plt.show()


# %% [markdown]
# **Experiment here.** The next cell is yours (not locked, not graded): change a weight, the
# input or the target and see how the output-layer gradients change; add cells below with **+**.


# %% tags=["experiment"]
my_params = {**nnkit.homework_params(), "w6": 1.5}
my_x, my_target = (1.0, 2.0), (0.0, 1.0)
grads_here = nnkit.backward(my_params, my_x, my_target)
print({my_name: round(grads_here[my_name], 6) for my_name in ("w5", "w6", "w7", "w8", "b2")})


# %% [markdown]
# ## A question to answer in words (2 points)
#
# $\partial L / \partial w_5$ is positive and $\partial L / \partial w_7$ is negative. Gradient descent
# changes each weight by $-\eta\,\partial L / \partial w$. Say which way $w_5$ and $w_7$ will move, and
# explain from the targets $\hat{O}_1 = 0$, $\hat{O}_2 = 1$ why that is the right direction.


# %% [markdown] nbgrader={"grade_id": "nb03-gradient-signs", "points": 2}
# $w_5$ decreases (its gradient is positive, so $-\eta\,\partial L/\partial w_5 < 0$) and $w_7$ increases.
# $w_5$ carries the positive $h_{1o}$ into $O_{1i}$: a smaller $w_5$ lowers $O_{1i}$ and therefore $O_1$,
# which is above its target 0, so the error $(O_1 - \hat{O}_1)^2$ shrinks. $w_7$ carries $h_{1o}$ into
# $O_{2i}$; a larger $w_7$ raises $O_2$, which is below its target 1, so that error shrinks too. The sign of
# each gradient is the sign of $(O_k - \hat{O}_k)$, because the other two factors ($O_k(1-O_k)$ and $h_{1o}$)
# are positive.


# %% [markdown]
# ## Summary
#
# * $\partial L/\partial w_7 = \partial L/\partial O_2 \cdot O_2(1 - O_2) \cdot h_{1o}$: loss slope × sigmoid slope × incoming value.
# * A shared bias collects the sum of its paths.
# * Finite differences check any gradient; a relative error near $10^{-7}$ or below means it is right.
#
# Next, **04-hidden-layer-gradient**: $w_3$ is one layer further back and reaches $L$ along two paths.
