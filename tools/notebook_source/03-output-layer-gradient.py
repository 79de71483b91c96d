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
dL_dO2 = 2 * (f.o2_out - target[1])
print(f"∂L/∂O2 = {dL_dO2:.6f}")


# %% [markdown]
# **Factor 2** — the sigmoid's slope. With $\sigma(z) = (1 + e^{-z})^{-1}$,
#
# $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)$$
#
# so the slope can be read off the unit's **output** alone: $\dfrac{\partial O_2}{\partial O_{2i}} = O_2 (1 - O_2)$.
#
# ### Exercise 1 — the sigmoid's slope (2 points)
#
# Write `sigmoid_slope(out)`: $\sigma'(z)$ given only the output `out` $= \sigma(z)$.


# %% nbgrader={"grade_id": "nb03-sigmoid-slope", "solution": true}
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
                               for z in (f.o2_in, f.h1_in, -2.0, 0.0)],
               rtol=1e-6, hint="σ'(z) = σ(z)·(1 − σ(z)), and σ(z) is `out`")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
for case in [dict(out=0.125), dict(out=0.5), dict(out=0.93)]:
    verify("sigmoid_prime_from_output", sigmoid_slope(**fresh(case)), **case)
### END HIDDEN TESTS


# %% [markdown]
# **Factor 3** — $O_{2i} = w_7 h_{1o} + w_8 h_{2o} + b_2$ changes with $w_7$ at the rate
# $\dfrac{\partial O_{2i}}{\partial w_7} = h_{1o}$: the value that travels along $w_7$.
#
# Multiplying the three:


# %%
dO2_do2_in = f.o2_out * (1 - f.o2_out)
do2_in_dw7 = f.h1_out
dL_dw7 = dL_dO2 * dO2_do2_in * do2_in_dw7
print(f"∂L/∂O2      = {dL_dO2:.6f}")
print(f"∂O2/∂o2_in  = {dO2_do2_in:.6f}")
print(f"∂o2_in/∂w7  = {do2_in_dw7:.6f}")
print(f"∂L/∂w7      = {dL_dw7:.6f}")


# %% [markdown]
# `nnkit.explain` writes the same chain with its numbers, in the homework's notation (it is
# computed by `nnkit.backward`, independently of the cells above):


# %%
nnkit.explain("w7")


# %% [markdown]
# ### Exercise 2 — the three-factor product (3 points)
#
# Write `dL_dw7(params, x, target)` for **any** parameters, input and target: compute the forward
# pass (you may call `nnkit.forward`), then the three factors, and return their product.


# %% nbgrader={"grade_id": "nb03-dL-dw7", "solution": true}
def dL_dw7(params, x, target):
    """∂L/∂w7 = ∂L/∂O2 · ∂O2/∂o2_in · ∂o2_in/∂w7 for L = (O1 − Ô1)² + (O2 − Ô2)²."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    dL_dO2 = 2 * (f.o2_out - target[1])
    dO2_do2_in = f.o2_out * (1 - f.o2_out)
    do2_in_dw7 = f.h1_out
    return dL_dO2 * dO2_do2_in * do2_in_dw7
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb03-dL-dw7-tests", "points": 3}
from fixtures import VISIBLE_PARAMS
check_function(dL_dw7, [
    ((params, x, target), nnkit.backward(params, x, target)["w7"]),
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), nnkit.backward(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))["w7"]),
], hint="three factors: 2(O2 − Ô2), then O2(1 − O2), then h1_out")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
cases = [dict(params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0]),
         dict(params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])]
for case in cases:
    verify("gradient", dL_dw7(**fresh(case)), name="w7", **case)
### END HIDDEN TESTS


# %% [markdown]
# ## The other output weights, and $b_2$
#
# The same three factors give every weight into the outputs. $w_5$ and $w_6$ feed $O_1$, so their
# chains run through $\partial L / \partial O_1$ and $O_1 (1 - O_1)$; the last factor is the value
# that travels along the weight ($h_{1o}$ for $w_5$ and $w_7$, $h_{2o}$ for $w_6$ and $w_8$).
#
# The bias $b_2$ is **shared**: it is added in $O_{1i}$ *and* in $O_{2i}$, so it reaches $L$ along two
# paths, and its gradient is the sum of both (with $\partial O_{1i}/\partial b_2 = \partial O_{2i}/\partial b_2 = 1$):
#
# $$\frac{\partial L}{\partial b_2} = \frac{\partial L}{\partial O_1}\frac{\partial O_1}{\partial O_{1i}} + \frac{\partial L}{\partial O_2}\frac{\partial O_2}{\partial O_{2i}}$$


# %%
for name in ("w5", "w6", "w7", "w8", "b2"):
    print(nnkit.explain(name))


# %% [markdown]
# ### Exercise 3 — all output-layer gradients (3 points)
#
# Write `output_layer_gradients(params, x, target)` returning a dict with keys `"w5"`, `"w6"`,
# `"w7"`, `"w8"`, `"b2"`. Compute the product $\partial L/\partial O_k \cdot O_k (1 - O_k)$ once per output
# and reuse it (it is called $\delta$ in the next notebook).


# %% nbgrader={"grade_id": "nb03-output-gradients", "solution": true}
def output_layer_gradients(params, x, target):
    """{"w5", "w6", "w7", "w8", "b2"}: ∂L/∂p for the parameters of the output layer."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    delta1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
    delta2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
    return {"w5": delta1 * f.h1_out, "w6": delta1 * f.h2_out,
            "w7": delta2 * f.h1_out, "w8": delta2 * f.h2_out, "b2": delta1 + delta2}
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb03-output-gradients-tests", "points": 3}
def expected_gradients(params, x, target):
    grads = nnkit.backward(params, x, target)
    return {name: grads[name] for name in ("w5", "w6", "w7", "w8", "b2")}

from fixtures import VISIBLE_PARAMS
check_function(output_layer_gradients, [
    ((params, x, target), expected_gradients(params, x, target)),
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), expected_gradients(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))),
], hint="w5, w6 go through O1; w7, w8 through O2; b2 through both (add the two paths)")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
cases = [dict(params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0]),
         dict(params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])]
for case in cases:
    verify("gradients", output_layer_gradients(**fresh(case)), names=["w5", "w6", "w7", "w8", "b2"], **case)
### END HIDDEN TESTS


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
