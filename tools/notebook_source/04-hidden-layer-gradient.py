# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 4 · The hidden-layer gradient
#
# $w_3$ sits one layer further from the loss than $w_7$. It changes $h_{2i}$, hence $h_{2o}$ — and
# $h_{2o}$ feeds **both** outputs. So $w_3$ reaches $L$ along two paths, and the chain rule adds them.
# This is the step where backpropagation earns its name, and where the handed-in solution's last line slips.
#
# **Learning goals.** After this notebook you can
#
# * compute $\partial L/\partial w_3$ as the sum of the paths through $O_1$ and $O_2$, times $h_{2o}(1 - h_{2o})\,x_1$;
# * derive a hidden-layer gradient yourself, including the shared bias $b_1$ (two units, two paths each);
# * write the backward pass of a dense layer with matrix products and check it by finite differences;
# * check a hand calculation value by value, and tell a rounding habit from a mistake.


# %%
import numpy as np
import matplotlib.pyplot as plt
import nnkit
import nnkit.viz
import nnkit.widgets
from nnkit.feedback import check_function, passed
import nnkit.grading
from IPython.display import Markdown


# %% [markdown]
# ## Two paths from $h_{2o}$ to $L$
#
# $$\frac{\partial L}{\partial w_3} = \frac{\partial L}{\partial h_{2o}} \cdot \frac{\partial h_{2o}}{\partial h_{2i}} \cdot \frac{\partial h_{2i}}{\partial w_3}
# \qquad\text{with}\qquad
# \frac{\partial L}{\partial h_{2o}} = \underbrace{\frac{\partial L}{\partial O_1}\frac{\partial O_1}{\partial O_{1i}}\,w_6}_{\text{via } O_1}
# + \underbrace{\frac{\partial L}{\partial O_2}\frac{\partial O_2}{\partial O_{2i}}\,w_8}_{\text{via } O_2}$$
#
# $w_6$ and $w_8$ appear because $O_{1i} = w_5 h_{1o} + w_6 h_{2o} + b_2$ changes with $h_{2o}$ at rate
# $w_6$, and $O_{2i}$ at rate $w_8$. The first two factors of each path are the output layer's,
# from notebook 3; call their products $\delta_1 = \partial L / \partial O_{1i}$ and $\delta_2 = \partial L / \partial O_{2i}$.


# %%
params = nnkit.homework_params()
x, target = nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
f = nnkit.forward(params, x)
dL_do1_in = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
dL_do2_in = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
dL_dh2_out_via_o1 = dL_do1_in * params["w6"]
dL_dh2_out_via_o2 = dL_do2_in * params["w8"]
print(f"δ1 = ∂L/∂O1i = {dL_do1_in:.6f}      δ2 = ∂L/∂O2i = {dL_do2_in:.6f}")
print(f"path via O1: δ1·w6 = {dL_dh2_out_via_o1:.6f}")
print(f"path via O2: δ2·w8 = {dL_dh2_out_via_o2:.6f}")
print(f"∂L/∂h2_out = sum   = {dL_dh2_out_via_o1 + dL_dh2_out_via_o2:.6f}")


# %% [markdown]
# The two paths pull in opposite directions: making $h_{2o}$ larger would push $O_1$ further above its
# target 0 (positive path) and $O_2$ closer to its target 1 (negative path). They partly cancel.
#
# ## From $h_{2o}$ back to $w_3$
#
# Two more links: the sigmoid's slope $\partial h_{2o}/\partial h_{2i} = h_{2o}(1 - h_{2o})$, and
# $\partial h_{2i}/\partial w_3 = x_1$ because $h_{2i} = w_3 x_1 + w_4 x_2 + b_1$.


# %%
dL_dh2_out = dL_dh2_out_via_o1 + dL_dh2_out_via_o2
dh2_out_dh2_in = f.h2_out * (1 - f.h2_out)
dh2_in_dw3 = x[0]
print(f"∂L/∂h2_out       = {dL_dh2_out:.6f}")
print(f"∂h2_out/∂h2_in   = {dh2_out_dh2_in:.6f}")
print(f"∂h2_in/∂w3 = x1  = {dh2_in_dw3}")
print(f"∂L/∂w3           = {dL_dh2_out * dh2_out_dh2_in * dh2_in_dw3:.7f}")


# %%
nnkit.explain("w3")


# %% [markdown]
# ### Exercise 1 — the paths into $h_{1o}$ (3 points)
#
# Now the other hidden unit. $h_{1o}$ also feeds both outputs, along two other weights: find them on
# the figure. Write `dL_dh1_out(params, x, target)`, $\partial L/\partial h_{1o}$ as the sum of its two
# paths, for any parameters, input and target. You may call `nnkit.forward` (nothing else from `nnkit`).


# %% nbgrader={"grade_id": "nb04-dL-dh1-out", "solution": true} nnkit={"may_use": ["forward"]}
def dL_dh1_out(params, x, target):
    """∂L/∂h1_out: the sum of the paths from h1_out through O1 and through O2."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    dL_do1_in = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
    dL_do2_in = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
    return dL_do1_in * params["w5"] + dL_do2_in * params["w7"]
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-dL-dh1-out-tests", "points": 3}
from fixtures import VISIBLE_PARAMS


def deltas(params, x, target):
    """(∂L/∂o1_in, ∂L/∂o2_in), the output deltas of nnkit.backward's chain rule."""
    g = nnkit.backward(params, x, target)
    return g.factors["dL_do1_in"], g.factors["dL_do2_in"]


def paths_into_h1(weights, which=(1, 1)):
    """Σ δ_k · weight_k over the outputs `which` selects: the right sum and its slips."""
    def value(params, x, target):
        d1, d2 = deltas(params, x, target)
        return which[0] * d1 * params[weights[0]] + which[1] * d2 * params[weights[1]]
    return value


check_function(dL_dh1_out, [
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), paths_into_h1(("w5", "w7"))(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))),
    ((VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75)), paths_into_h1(("w5", "w7"))(VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75))),
], hint="one term per output: (the output's δ = 2(O − Ô)·O(1 − O)) × (the weight from h1 to that output)",
   slips=[("∂L/∂h2_out: w6 and w8 leave h2; the weights leaving h1 are w5 and w7", paths_into_h1(("w6", "w8"))),
          ("only the path through O1: h1_out also feeds O2 (along w7)", paths_into_h1(("w5", "w7"), (1, 0))),
          ("only the path through O2: h1_out also feeds O1 (along w5)", paths_into_h1(("w5", "w7"), (0, 1))),
          ("the weights are swapped: O1's δ goes with w5, O2's with w7", paths_into_h1(("w7", "w5"))),
          ("the sign is flipped: each δ starts with 2(O − Ô), output minus target",
           lambda *a: -paths_into_h1(("w5", "w7"))(*a))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("dL_dh1_out", dL_dh1_out, params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0])
verify("dL_dh1_out", dL_dh1_out, params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# ### Exercise 2 — the shared bias $b_1$ (3 points)
#
# $b_1$ is added in **both** hidden units: $h_{1i} = w_1 x_1 + w_2 x_2 + b_1$ and $h_{2i} = w_3 x_1 + w_4 x_2 + b_1$.
# Trace every way a change of $b_1$ reaches $L$ (how many paths are there?), write the chain rule
# for $\partial L/\partial b_1$, and code it as `dL_db1(params, x, target)`. You may call
# `nnkit.forward` and your `dL_dh1_out`; write $\partial L/\partial h_{2o}$ yourself (it is the
# worked sum above, for any parameters).


# %% nbgrader={"grade_id": "nb04-dL-db1", "solution": true} nnkit={"may_use": ["forward"]}
def dL_db1(params, x, target):
    """∂L/∂b1, through h1 and through h2 (each with its two paths to the outputs)."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    dL_do1_in = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
    dL_do2_in = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
    dL_dh2_out = dL_do1_in * params["w6"] + dL_do2_in * params["w8"]
    dL_dh1_in = dL_dh1_out(params, x, target) * f.h1_out * (1 - f.h1_out)
    dL_dh2_in = dL_dh2_out * f.h2_out * (1 - f.h2_out)
    return dL_dh1_in + dL_dh2_in
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-dL-db1-tests", "points": 3}
from fixtures import VISIBLE_PARAMS


# Each test cell defines what it uses (a test cell may be run, or replaced by nbgrader, on its own).
def deltas(params, x, target):
    """(∂L/∂o1_in, ∂L/∂o2_in), the output deltas of nnkit.backward's chain rule."""
    g = nnkit.backward(params, x, target)
    return g.factors["dL_do1_in"], g.factors["dL_do2_in"]


def through_hidden(unit, slope=True):
    """b1's gradient through one hidden unit only (the slips 'one unit'; 'no sigmoid slope')."""
    def value(params, x, target):
        f, d1, d2 = nnkit.forward(params, x), *deltas(params, x, target)
        out = f.h1_out if unit == 1 else f.h2_out
        w_to_o1, w_to_o2 = ("w5", "w7") if unit == 1 else ("w6", "w8")
        return (d1 * params[w_to_o1] + d2 * params[w_to_o2]) * (out * (1 - out) if slope else 1)
    return value


def gradient_of(name):
    return lambda params, x, target: nnkit.backward(params, x, target)[name]


check_function(dL_db1, [
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), gradient_of("b1")(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))),
    ((VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75)), gradient_of("b1")(VISIBLE_PARAMS, (2.0, -0.5), (0.25, 0.75))),
], hint="b1 enters h1_in and h2_in: (∂L/∂h1_out)·h1_out(1 − h1_out) + (∂L/∂h2_out)·h2_out(1 − h2_out)",
   slips=[("the homework's value, whatever the inputs: compute it from params, x and target",
           lambda *a: nnkit.backward(nnkit.homework_params())["b1"]),
          ("only the path through h1: b1 is added in h2_in too", through_hidden(1)),
          ("only the path through h2: b1 is added in h1_in too", through_hidden(2)),
          ("the sigmoid's slopes h_out(1 − h_out) are missing",
           lambda *a: through_hidden(1, slope=False)(*a) + through_hidden(2, slope=False)(*a)),
          ("∂L/∂b2, the output layer's bias", gradient_of("b2")),
          ("the sign is flipped: each δ starts with 2(O − Ô), output minus target",
           lambda *a: -gradient_of("b1")(*a))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("dL_db1", dL_db1, params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0])
verify("dL_db1", dL_db1, params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# ## All hidden-layer gradients
#
# Now `nnkit.explain` may show them: $w_1, w_2$ lead into $h_1$, whose paths to the outputs run
# along $w_5$ and $w_7$ (your Exercise 1); $w_2$ and $w_4$ multiply $x_2$ instead of $x_1$; and $b_1$
# is your Exercise 2, the sum over $h_1$ and $h_2$:


# %%
for name in ("w1", "w2", "w3", "w4", "b1"):
    print(nnkit.explain(name), end="\n\n")


# %% [markdown]
# ## Backpropagation for any layer, as matrices
#
# A **dense layer** computes $Z = X W + b$ for a batch: $X$ has shape (n, d) — one sample per row —
# $W$ (d, m), $b$ (m,) added to every row, and $Z$ (n, m). The homework's output layer is one: $X$ is
# $(h_{1o}, h_{2o})$, $W = W^{(2)}$ holds $(w_5, w_6)$ in column 1 and $(w_7, w_8)$ in column 2, and
# $Z = (O_{1i}, O_{2i})$.
#
# Backward, the layer receives $dZ = \partial L/\partial Z$ (shape (n, m); for the homework
# $(\delta_1, \delta_2)$) and must return the gradients of its inputs. What you derived entry by entry:
#
# * $\partial L/\partial w_7 = \delta_2 \cdot h_{1o}$: entry (1, 2) of $dW$ is input 1 times $dZ$ entry 2 — for every
#   pair (input $j$, unit $k$), summed over the samples;
# * $\partial L/\partial h_{2o} = \delta_1 w_6 + \delta_2 w_8$: entry 2 of $dX$ sums $dZ$ times the weights in **row** 2 of $W$;
# * $\partial L/\partial b_2 = \delta_1 + \delta_2$ for the shared bias; with one bias per unit, $db_k$ is $dZ$'s column $k$ summed over samples.
#
# ### Exercise 3 — a dense layer's backward pass (3 points)
#
# Write `dense_backward(dZ, X, W)` returning `(dX, dW, db)` with the shapes of `X`, `W` and `b`:
# (n, d), (d, m) and (m,). Each is one matrix expression; let the shapes tell you where a transpose
# goes. Use `@`, `.T` and `.sum(axis=...)`; no `nnkit` function is needed. The check compares your
# result with finite differences (`nnkit.numerical_gradient`) on a layer of another size.


# %% nbgrader={"grade_id": "nb04-dense-backward", "solution": true} nnkit={"may_use": []}
def dense_backward(dZ, X, W):
    """Gradients of Z = X @ W + b given dZ = ∂L/∂Z (n, m): dX (n, d), dW (d, m), db (m,)."""
    ### BEGIN SOLUTION
    dX = dZ @ W.T
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    return dX, dW, db
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-dense-backward-tests", "points": 3}
rng = np.random.default_rng(4)
X_check, W_check, b_check = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
G = rng.normal(size=(5, 4))       # L = Σ G ⊙ Z has ∂L/∂Z = G: any dZ can be checked this way


def numeric_dense(dZ, X, W):
    """(dX, dW, db) of L = Σ dZ ⊙ (X W + b) by central differences: independent of the formulas."""
    numeric = nnkit.numerical_gradient(lambda p: float(np.sum(dZ * (p["X"] @ p["W"] + p["b"]))),
                                       {"X": X, "W": W, "b": b_check})
    return numeric["X"], numeric["W"], numeric["b"]


check_function(dense_backward, [((G, X_check, W_check), numeric_dense(G, X_check, W_check)),
                                ((G[:1], X_check[:1], W_check), numeric_dense(G[:1], X_check[:1], W_check))],
               rtol=1e-6, atol=1e-8, hint="dX has X's shape (n, d), dW has W's shape (d, m), db has b's (m,)",
               slips=[("db is not summed over the samples (rows): db has one entry per unit",
                       lambda dZ, X, W: (*numeric_dense(dZ, X, W)[:2], dZ)),
                      ("db summed over the units instead of the samples: use axis=0",
                       lambda dZ, X, W: (*numeric_dense(dZ, X, W)[:2], dZ.sum(axis=1)))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("dense_backward", dense_backward, dZ=[[0.3, -1.1], [0.5, 0.2], [-0.7, 0.9]],
       X=[[0.2, 0.6, 0.9], [0.5, -0.15, 0.7], [-0.45, 0.3, 0.25]], W=[[0.4, -0.6], [1.3, 0.2], [-0.8, 0.5]])
### END HIDDEN TESTS


# %% [markdown]
# With it, backpropagation through the homework network is three lines per layer: the output
# layer's $dZ^{(2)} = 2(A^{(2)} - Y) \odot A^{(2)} \odot (1 - A^{(2)})$, its `dense_backward`, then the
# sigmoid's slope to turn $dA^{(1)}$ into $dZ^{(1)}$, and `dense_backward` again. The numbers agree with
# `MLP.from_homework()` and with the scalar `nnkit.backward`, entry by entry ($w_3$ is `W1[0, 1]`:
# column 2 holds the weights into $h_2$; the shared bias is the sum of its layer's $db$):


# %%
model = nnkit.MLP.from_homework()
W1, b1, W2, b2 = model.params["W1"], model.params["b1"], model.params["W2"], model.params["b2"]
X, Y = np.array([x], dtype=float), np.array([target], dtype=float)
A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
dZ2 = 2 * (A2 - Y) * A2 * (1 - A2)
dA1, dW2 = dZ2 @ W2.T, A1.T @ dZ2
dZ1 = dA1 * A1 * (1 - A1)
dW1 = X.T @ dZ1

out, cache = model.forward(X)
mlp_grads = model.backward(cache, Y)
scalar = nnkit.backward(params, x, target)
mine = {"W1": dW1, "b1": np.array([dZ1.sum()]), "W2": dW2, "b2": np.array([dZ2.sum()])}
print(f"{'param':<6} {'matrix':>11} {'MLP':>11} {'nnkit.backward':>15}")
for name, (key, index) in nnkit.mlp.HOMEWORK_POSITIONS.items():
    print(f"{name:<6} {mine[key][index]:>11.7f} {mlp_grads[key][index]:>11.7f} {scalar[name]:>15.7f}")
    assert np.isclose(mine[key][index], scalar[name], rtol=1e-12) and np.isclose(mlp_grads[key][index], scalar[name], rtol=1e-12)


# %% [markdown]
# ## Gradient check: all ten, and a deeper network
#
# Finite differences for all ten homework parameters, then `nnkit.check_gradients` on a random
# network with two hidden layers — the same backward step is repeated at every layer:


# %%
numeric = nnkit.numerical_gradient(lambda p: nnkit.loss(nnkit.forward(p, x), target), params)
print(f"{'param':<6} {'chain rule':>12} {'finite diff.':>13} {'rel. error':>11}")
for name in nnkit.PARAM_NAMES:
    print(f"{name:<6} {scalar[name]:>12.7f} {numeric[name]:>13.7f} {nnkit.rel_error(scalar[name], numeric[name]):>11.1e}")


# %%
deep = nnkit.MLP([3, 5, 4, 2], hidden="sigmoid", seed=0)
X_deep = np.random.default_rng(0).normal(size=(6, 3))
Y_deep = np.random.default_rng(1).uniform(size=(6, 2))
print(nnkit.check_gradients(deep, X_deep, Y_deep))


# %% [markdown]
# ## Why is $\partial L/\partial w_3$ so small?
#
# ### Predict, then run
#
# $w_3$ and $w_7$ are weights of similar size. **Predict** before you run the next cell: is
# $|\partial L/\partial w_3|$ about as large as $|\partial L/\partial w_7|$, larger, or much smaller — and
# which factors of its chain make the difference?




# %%
g = nnkit.backward(params, x, target)
print(f"∂L/∂w7 = {g['w7']:.6f}    ∂L/∂w3 = {g['w3']:.7f}    ratio |∂L/∂w7| / |∂L/∂w3| = {abs(g['w7'] / g['w3']):.1f}")
print(f"paths into h2_out: {dL_dh2_out_via_o1:+.6f} and {dL_dh2_out_via_o2:+.6f} → sum {dL_dh2_out:+.6f}")
print(f"sigmoid slopes: O2(1 − O2) = {f.o2_out * (1 - f.o2_out):.6f}, h2_out(1 − h2_out) = {dh2_out_dh2_in:.6f}")


# %%
Markdown(rf"$|\partial L/\partial w_3|$ is about {abs(g['w7'] / g['w3']):.0f} times smaller than "
         rf"$|\partial L/\partial w_7|$, although $w_3$ and $w_7$ are weights of similar size "
         f"({params['w3']} and {params['w7']}).")


# %% [markdown]
# The loss over $w_3$ and $w_7$ together, the other eight parameters held at the homework's values:
# the contour lines run almost parallel to the $w_3$ axis, so moving $w_3$ hardly changes $L$, and
# the negative gradient (the arrow) points almost straight along $w_7$.


# %%
nnkit.viz.plot_loss_surface(wrt=("w3", "w7"))
plt.show()


# %% [markdown]
# ### A question to answer in words (2 points)
#
# Using the numbers above, explain why $\partial L/\partial w_3$ is so much smaller than
# $\partial L/\partial w_7$. Name at least two reasons, and say what this suggests for networks with
# many sigmoid layers.


# %% [markdown] nbgrader={"grade_id": "nb04-why-small", "points": 2}
# $\partial L/\partial w_7$ is the output layer's $\delta_2$ times $h_{1o}$. $\partial L/\partial w_3$ goes one layer
# further: (1) the two paths into $h_{2o}$ have opposite signs (pushing $O_1$ down and $O_2$ up pull
# $h_{2o}$ in opposite directions) and largely cancel; (2) each path is multiplied by a small weight
# ($w_6$, $w_8$), and (3) by one more sigmoid slope $h_{2o}(1-h_{2o})$, which is at most $\tfrac14$ and here
# smaller still because $h_{2o}$ is well above $\tfrac12$. Every extra sigmoid layer multiplies by another
# slope of at most $\tfrac14$ and by the weights, so gradients in early layers of deep sigmoid networks
# shrink geometrically (vanishing gradients), and those layers learn slowly.


# %% [markdown]
# ## Checking a real homework
#
# `nnkit.check` compares the values of a hand calculation with the exact ones. It knows the
# difference between a **wrong** value and one that is **correct to its rounding**, and carries
# errors forward: a value computed correctly from your own earlier (slightly off) value is marked
# *consistent with your earlier value*, not wrong. Here are the numbers of the handed-in solution on page 0:


# %%
from nnkit.check import HANDED_IN, check_homework
check_homework(HANDED_IN)


# %% [markdown]
# Reading the report: the method is right everywhere. Some values were **truncated** instead of
# rounded (a habit worth fixing, not a mistake in method), the values after them are consistent with
# them, and the one genuine mistake is the **sign** of the final answer $\partial L/\partial w_3$ — the line
# before it in the homework had the right sign.
#
# Check your own hand calculation the same way, with any subset of the values (the names are those of
# the table above). For example, someone who dropped the minus sign of $\partial L/\partial w_7$:


# %%
check_homework({"h1_out": 0.6457, "O2": 0.6657, "dL_dw7": 0.0961})


# %% [markdown]
# **Experiment here.** The next cell is yours (not locked, not graded): check another hand
# calculation, or change a weight and compare the hidden gradients; add cells below with **+**.


# %% tags=["experiment"]
my_params = {**nnkit.homework_params(), "w6": -0.5}
grads_here = nnkit.backward(my_params, x, target)
print({my_name: round(grads_here[my_name], 7) for my_name in ("w1", "w2", "w3", "w4", "b1")})


# %% [markdown]
# ## The backprop playground
#
# Move a slider and watch every value and gradient update; *Step* takes one gradient-descent step,
# *Reset* returns to the homework. The numbers are those of `nnkit.forward` and `nnkit.backward`.


# %% tags=["nbval-ignore-output"]
nnkit.widgets.BackpropPlayground()


# %% [markdown]
# ## Summary
#
# * A hidden weight reaches the loss along one path per output; $\partial L/\partial h_{2o}$ is their sum.
# * $\partial L/\partial w_3 = (\delta_1 w_6 + \delta_2 w_8)\; h_{2o}(1 - h_{2o})\; x_1$.
# * In matrix form: $\delta^{(1)} = (\delta^{(2)} W^{(2)\top}) \odot A^{(1)}(1 - A^{(1)})$ and $\partial L/\partial W = A^\top \delta$, for any layer.
#
# Next, **05-training-loop**: use these gradients to train — the homework network first, then real data.
