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
# * compute every hidden-layer gradient, including the shared bias $b_1$;
# * write backpropagation for any layer with $\delta$-vectors and matrix products;
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
delta1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
delta2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
via_O1, via_O2 = delta1 * params["w6"], delta2 * params["w8"]
print(f"δ1 = ∂L/∂o1_in = {delta1:.6f}      δ2 = ∂L/∂o2_in = {delta2:.6f}")
print(f"path via O1: δ1·w6 = {via_O1:.6f}")
print(f"path via O2: δ2·w8 = {via_O2:.6f}")
print(f"∂L/∂h2_out = sum   = {via_O1 + via_O2:.6f}")


# %% [markdown]
# The two paths pull in opposite directions: making $h_{2o}$ larger would push $O_1$ further above its
# target 0 (positive path) and $O_2$ closer to its target 1 (negative path). They partly cancel.
#
# ### Exercise 1 — the two-path sum (3 points)
#
# Write `dL_dh2_out(params, x, target)`: $\partial L/\partial h_{2o}$ as the sum of the two paths, for any
# parameters, input and target. You may call `nnkit.forward`.


# %% nbgrader={"grade_id": "nb04-two-paths", "solution": true}
def dL_dh2_out(params, x, target):
    """∂L/∂h2_out = ∂L/∂O1·∂O1/∂o1_in·w6 + ∂L/∂O2·∂O2/∂o2_in·w8."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    delta1 = 2 * (f.o1_out - target[0]) * f.o1_out * (1 - f.o1_out)
    delta2 = 2 * (f.o2_out - target[1]) * f.o2_out * (1 - f.o2_out)
    return delta1 * params["w6"] + delta2 * params["w8"]
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-two-paths-tests", "points": 3}
from fixtures import VISIBLE_PARAMS
check_function(dL_dh2_out, [
    ((params, x, target), nnkit.backward(params, x, target).factors["dL_dh2_out"]),
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), nnkit.backward(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)).factors["dL_dh2_out"]),
], hint="one term per output: 2(O − Ô)·O(1 − O)·(the weight from h2 to that output: w6 or w8)")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
cases = [dict(params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0]),
         dict(params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])]
for case in cases:
    verify("dL_dh_out", dL_dh2_out(**fresh(case)), unit="h2", **case)
### END HIDDEN TESTS


# %% [markdown]
# ## From $h_{2o}$ back to $w_3$
#
# Two more links: the sigmoid's slope $\partial h_{2o}/\partial h_{2i} = h_{2o}(1 - h_{2o})$, and
# $\partial h_{2i}/\partial w_3 = x_1$ because $h_{2i} = w_3 x_1 + w_4 x_2 + b_1$.


# %%
dL_dh2 = via_O1 + via_O2
dh2_out_dh2_in = f.h2_out * (1 - f.h2_out)
dh2_in_dw3 = x[0]
print(f"∂L/∂h2_out       = {dL_dh2:.6f}")
print(f"∂h2_out/∂h2_in   = {dh2_out_dh2_in:.6f}")
print(f"∂h2_in/∂w3 = x1  = {dh2_in_dw3}")
print(f"∂L/∂w3           = {dL_dh2 * dh2_out_dh2_in * dh2_in_dw3:.7f}")


# %%
nnkit.explain("w3")


# %% [markdown]
# ### Exercise 2 — $\partial L/\partial w_3$ (2 points)
#
# Write `dL_dw3(params, x, target)`, using your `dL_dh2_out`.


# %% nbgrader={"grade_id": "nb04-dL-dw3", "solution": true}
def dL_dw3(params, x, target):
    """∂L/∂w3 = ∂L/∂h2_out · h2_out(1 − h2_out) · x1."""
    f = nnkit.forward(params, x)
    ### BEGIN SOLUTION
    return dL_dh2_out(params, x, target) * f.h2_out * (1 - f.h2_out) * x[0]
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-dL-dw3-tests", "points": 2}
from fixtures import VISIBLE_PARAMS
check_function(dL_dw3, [
    ((params, x, target), nnkit.backward(params, x, target)["w3"]),
    ((VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0)), nnkit.backward(VISIBLE_PARAMS, (-1.0, 0.5), (1.0, 0.0))["w3"]),
], hint="∂L/∂h2_out, times the sigmoid's slope h2_out(1 − h2_out), times the input x1 that w3 multiplies")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
cases = [dict(params=HIDDEN_PARAMS_A, x=[0.4, 2.0], target=[0.0, 0.0]),
         dict(params=HIDDEN_PARAMS_B, x=[-2.0, 1.0], target=[1.0, 1.0])]
for case in cases:
    verify("gradient", dL_dw3(**fresh(case)), name="w3", **case)
### END HIDDEN TESTS


# %% [markdown]
# ## All hidden-layer gradients
#
# $w_1, w_2$ lead into $h_1$, whose paths to the outputs run along $w_5$ and $w_7$; $w_2$ and $w_4$
# multiply $x_2$ instead of $x_1$. The shared bias $b_1$ enters both hidden units, so its gradient is
# the sum over $h_1$ and $h_2$:


# %%
for name in ("w1", "w2", "w3", "w4", "b1"):
    print(nnkit.explain(name), end="\n\n")


# %% [markdown]
# ## Backpropagation for any layer: $\delta$-vectors
#
# Write the output layer's $\delta$s as a row vector $\delta^{(2)} = (\delta_1, \delta_2) = \partial L / \partial Z^{(2)}$, where
# $Z^{(2)} = (O_{1i}, O_{2i}) = A^{(1)} W^{(2)} + b_2$ and $A^{(1)} = (h_{1o}, h_{2o})$. Then everything above is three
# matrix lines, the same for every layer of any network:
#
# $$\frac{\partial L}{\partial W^{(2)}} = A^{(1)\top} \delta^{(2)} \qquad
# \delta^{(1)} = \bigl(\delta^{(2)} W^{(2)\top}\bigr) \odot A^{(1)} \odot (1 - A^{(1)}) \qquad
# \frac{\partial L}{\partial W^{(1)}} = X^\top \delta^{(1)}$$
#
# $\delta^{(2)} W^{(2)\top}$ **is** the two-path sum: its second entry is $\delta_1 w_6 + \delta_2 w_8$.
# A shared bias gets the sum of its layer's $\delta$ entries.


# %%
model = nnkit.MLP.from_homework()
W1, b1, W2, b2 = model.params["W1"], model.params["b1"], model.params["W2"], model.params["b2"]
X, Y = np.array([x], dtype=float), np.array([target], dtype=float)

A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
delta_2 = 2 * (A2 - Y) * A2 * (1 - A2)
delta_1 = (delta_2 @ W2.T) * A1 * (1 - A1)
dW2, dW1 = A1.T @ delta_2, X.T @ delta_1
print("δ(2) =", delta_2, "   δ(2) W2ᵀ =", delta_2 @ W2.T)
print("δ(1) =", delta_1)
print("∂L/∂W1 =\n", dW1)
print("∂L/∂W2 =\n", dW2)


# %% [markdown]
# These are the same numbers as `MLP.from_homework()`'s layer-by-layer backward pass and as the scalar
# `nnkit.backward`, entry by entry ($w_3$ is `W1[0, 1]`: column 2 holds the weights into $h_2$):


# %%
out, cache = model.forward(X)
mlp_grads = model.backward(cache, Y)
scalar = nnkit.backward(params, x, target)
mine = {"W1": dW1, "b1": np.array([delta_1.sum()]), "W2": dW2, "b2": np.array([delta_2.sum()])}
print(f"{'param':<6} {'matrix':>11} {'MLP':>11} {'nnkit.backward':>15}")
for name, (key, index) in nnkit.mlp.HOMEWORK_POSITIONS.items():
    print(f"{name:<6} {mine[key][index]:>11.7f} {mlp_grads[key][index]:>11.7f} {scalar[name]:>15.7f}")
    assert np.isclose(mine[key][index], scalar[name], rtol=1e-12) and np.isclose(mlp_grads[key][index], scalar[name], rtol=1e-12)


# %% [markdown]
# ### Exercise 3 — the hidden layer's $\delta$ (3 points)
#
# Write `hidden_delta(delta_next, W_next, A)`: $\delta = (\delta_{\text{next}} W_{\text{next}}^\top) \odot A \odot (1 - A)$
# for a sigmoid layer with outputs `A` (shape (n, units)), the next layer's weights `W_next`
# (shape (units, next units)) and its $\delta$ `delta_next` (shape (n, next units)). One line; it must
# work for any sizes and any number of rows.


# %% nbgrader={"grade_id": "nb04-hidden-delta", "solution": true}
def hidden_delta(delta_next, W_next, A):
    """δ of a sigmoid layer: (delta_next @ W_next.T) * A * (1 − A), shape (n, units)."""
    ### BEGIN SOLUTION
    return (delta_next @ W_next.T) * A * (1 - A)
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb04-hidden-delta-tests", "points": 3}
rng = np.random.default_rng(1)
A_big, W_big, d_big = rng.uniform(0.05, 0.95, (5, 3)), rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
check_function(hidden_delta, [
    ((delta_2, W2, A1), delta_1),
    ((d_big, W_big, A_big), np.einsum("nk,jk->nj", d_big, W_big) * A_big * (1 - A_big)),
], hint="send δ back through the weights (delta_next @ W_next.T), then multiply by the sigmoid's slope A(1 − A)")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
case = dict(delta_next=[[0.3, -1.1], [0.5, 0.2], [-0.7, 0.9]],
            W_next=[[0.4, -0.6], [1.3, 0.2], [-0.8, 0.5], [0.1, 0.7]],
            A=[[0.2, 0.6, 0.9, 0.35], [0.5, 0.15, 0.7, 0.8], [0.45, 0.3, 0.25, 0.6]])
verify("hidden_delta", hidden_delta(**fresh(case, arrays=True)), **case)
### END HIDDEN TESTS


# %% [markdown]
# ## Gradient check: all ten, and a deeper network
#
# Finite differences for all ten homework parameters, then `nnkit.check_gradients` on a random
# network with two hidden layers — the $\delta$ recursion is the same at every layer:


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


# %%
g = nnkit.backward(params, x, target)
print(f"∂L/∂w7 = {g['w7']:.6f}    ∂L/∂w3 = {g['w3']:.7f}    ratio |∂L/∂w7| / |∂L/∂w3| = {abs(g['w7'] / g['w3']):.1f}")
print(f"paths into h2_out: {g.factors['dL_dh2_out_via_O1']:+.6f} and {g.factors['dL_dh2_out_via_O2']:+.6f}"
      f" → sum {g.factors['dL_dh2_out']:+.6f}")
print(f"sigmoid slopes: O2(1 − O2) = {g.factors['dO2_do2_in']:.6f}, h2_out(1 − h2_out) = {g.factors['dh2_out_dh2_in']:.6f}")


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
