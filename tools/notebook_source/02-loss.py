# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 2 · The loss
#
# The forward pass gave two outputs $O_1, O_2$. The homework wants them to be the targets
# $\hat{O}_1 = 0$ and $\hat{O}_2 = 1$. A **loss** turns "how far off" into one number that
# training will make smaller.
#
# **Learning goals.** After this notebook you can
#
# * compute the homework's loss $L = (O_1 - \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$ and its slope $\partial L / \partial O_k$;
# * explain why many texts write $\tfrac12 \sum$ and why that does not move the minimum;
# * spot the sign slip in a handed-in solution's typed loss and say what it would change.


# %%
import numpy as np
import matplotlib.pyplot as plt
import nnkit
from nnkit.feedback import check_function, passed
import nnkit.grading
from IPython.display import Markdown


# %% [markdown]
# ## The squared error
#
# Each output contributes the square of its error; squaring makes every error count as positive
# and large errors count much more than small ones:
#
# $$L = (O_1 - \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$$
#
# For the homework's network and input:


# %%
params = nnkit.homework_params()
target = nnkit.HOMEWORK_TARGET
f = nnkit.forward(params)
O1, O2 = f.o1_out, f.o2_out
print(f"O1 = {O1:.6f}   target Ô1 = {target[0]}   (O1 − Ô1)² = {(O1 - target[0]) ** 2:.6f}")
print(f"O2 = {O2:.6f}   target Ô2 = {target[1]}   (O2 − Ô2)² = {(O2 - target[1]) ** 2:.6f}")
print(f"L  = {nnkit.loss(f, target):.6f}")


# %%
share = (O1 - target[0]) ** 2 / nnkit.loss(f, target)
Markdown(f"$O_1$ should be {target[0]} but is ${O1:.4f}$: its term alone is {share:.0%} of $L$, "
         f"although $O_2$ is the output the homework differentiates first.")


# %% [markdown]
# ### Exercise 1 — the loss (2 points)
#
# Write `squared_error(outputs, targets)`: the sum over $k$ of $(O_k - \hat{O}_k)^2$, for two
# sequences of the same length (two outputs here, but write it for any length). No `nnkit`
# function is needed.


# %% nbgrader={"grade_id": "nb02-squared-error", "solution": true} nnkit={"may_use": []}
def squared_error(outputs, targets):
    """L = Σ_k (outputs[k] − targets[k])², a float."""
    ### BEGIN SOLUTION
    return sum((o - t) ** 2 for o, t in zip(outputs, targets))
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb02-squared-error-tests", "points": 2}
check_function(squared_error, [
    (((O1, O2), target), nnkit.loss((O1, O2), target)),
    (((0.25, 0.5), (1.0, 0.0)), nnkit.loss((0.25, 0.5), (1.0, 0.0))),
    (((0.1, 0.2, 0.9), (0.0, 0.0, 1.0)), (0.1 - 0) ** 2 + (0.2 - 0) ** 2 + (0.9 - 1) ** 2),
], hint="square each difference O − Ô, then add them up",
   slips=[("½·Σ (O − Ô)² (the ½ convention, later in this notebook) or the mean of the squares (the same "
           "for two outputs): this L is the plain sum, with no ½ and no division",
           lambda o, t: nnkit.loss(o, t) / 2),
          ("the mean of the squares: this L is the plain sum, with no division by the number of outputs",
           lambda o, t: sum((a - b) ** 2 for a, b in zip(o, t)) / len(o)),
          ("(Σ (O − Ô))², the square of the summed differences: square each difference first",
           lambda o, t: sum(a - b for a, b in zip(o, t)) ** 2),
          ("only the first two outputs are summed: write it for any number of outputs",
           lambda o, t: (o[0] - t[0]) ** 2 + (o[1] - t[1]) ** 2)])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("loss", squared_error, outputs=[0.9, 0.05], targets=[1.0, 0.0])
verify("loss", squared_error, outputs=[0.3, 0.7, 0.2], targets=[0.6, 0.2, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# ## The loss as a function of one output
#
# Hold $O_1$ where it is and let $O_2$ vary between 0 and 1. The loss is a parabola in $O_2$
# with its lowest point at the target $\hat{O}_2 = 1$; our network sits to the left of it.


# %%
o2_grid = np.linspace(0, 1, 201)
L_grid = [nnkit.loss((O1, o2), target) for o2 in o2_grid]

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(o2_grid, L_grid, label="L with $O_1$ fixed")
ax.plot(O2, nnkit.loss(f, target), "o", color="C3", label="the homework's $O_2$")
ax.axvline(target[1], color="gray", linestyle=":", label=r"target $\hat{O}_2$")
ax.set_title("Loss against the second output")
ax.set_xlabel("$O_2$")
ax.set_ylabel("$L$")
ax.legend()
plt.show()


# %% [markdown]
# ## Its slope: the first factor of every gradient
#
# Backpropagation starts here: how fast does $L$ change when one output changes? Only the term
# $(O_2 - \hat{O}_2)^2$ contains $O_2$; differentiate it with respect to $O_2$ (power rule, and the
# chain rule for the bracket). Look at the plot above before you write it down: at the homework's
# $O_2$ the slope must be **negative**.
#
# ### Exercise 2 — the slope (2 points)
#
# Write `loss_gradient(outputs, targets)` returning the list $[\partial L/\partial O_1,\ \partial L/\partial O_2, \dots]$,
# for any number of outputs. No `nnkit` function is needed. The check compares your slopes with
# finite differences of $L$ — a measurement, not a formula.


# %% nbgrader={"grade_id": "nb02-loss-gradient", "solution": true} nnkit={"may_use": []}
def loss_gradient(outputs, targets):
    """[∂L/∂O_k for each k] for L = Σ_k (O_k − Ô_k)²."""
    ### BEGIN SOLUTION
    return [2 * (o - t) for o, t in zip(outputs, targets)]
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb02-loss-gradient-tests", "points": 2}
def L_any(outputs, targets):
    """L = Σ_k (O_k − Ô_k)² for any number of outputs (Exercise 1's answer)."""
    return sum((o - t) ** 2 for o, t in zip(outputs, targets))


def slopes_by_differences(outputs, targets, h=1e-6):
    """∂L/∂O_k by central differences of L, one output at a time."""
    def moved(k, step):
        return [o + step if i == k else o for i, o in enumerate(outputs)]
    return [(L_any(moved(k, h), targets) - L_any(moved(k, -h), targets)) / (2 * h)
            for k in range(len(outputs))]


def scaled(factor):
    return lambda outputs, targets: [factor * g for g in slopes_by_differences(outputs, targets)]


check_function(loss_gradient, [
    (((0.25, 0.5), (1.0, 0.0)), slopes_by_differences((0.25, 0.5), (1.0, 0.0))),
    (((0.1, 0.7, 0.4), (0.0, 1.0, 0.5)), slopes_by_differences((0.1, 0.7, 0.4), (0.0, 1.0, 0.5))),
], rtol=1e-6, atol=1e-8, hint="differentiate (O − Ô)² with respect to O, for every output (any number of them)",
   slips=[("the sign is flipped: the bracket is (O − Ô), output minus target", scaled(-1)),
          ("a factor ½ short: the power rule brings down a 2 (this L has no ½)", scaled(0.5)),
          ("you returned the squared errors (O − Ô)², not their slopes",
           lambda outputs, targets: [(o - t) ** 2 for o, t in zip(outputs, targets)])])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("dL_dO", loss_gradient, outputs=[0.9, 0.05], targets=[1.0, 0.0])
verify("dL_dO", loss_gradient, outputs=[0.3, 0.7, 0.2], targets=[0.6, 0.2, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# The power rule and the chain rule give
#
# $$\frac{\partial L}{\partial O_2} = 2\,(O_2 - \hat{O}_2) \cdot \frac{\partial (O_2 - \hat{O}_2)}{\partial O_2} = 2\,(O_2 - \hat{O}_2)$$
#
# negative when $O_2$ is below its target: increasing $O_2$ decreases $L$, as the plot shows.
# (The handed-in solution on page 0 writes $-2(O_2 - \hat{O}_2)$, with a stray factor $-1$, but then
# substitutes $\hat{O}_2 - O_2$ into the bracket: the two slips cancel, and its number is right.)
# At the homework's point, $\partial L/\partial O_1 > 0$ says "lower $O_1$", $\partial L/\partial O_2 < 0$ says "raise $O_2$":


# %%
dL_do1_out, dL_do2_out = 2 * (O1 - target[0]), 2 * (O2 - target[1])
print(f"∂L/∂O1 = 2(O1 − Ô1) = {dL_do1_out:.6f}")
print(f"∂L/∂O2 = 2(O2 − Ô2) = {dL_do2_out:.6f}")


# %% [markdown]
# ## The ½ convention
#
# Many texts define $L_{1/2} = \tfrac12 \sum_k (O_k - \hat{O}_k)^2$ so that the 2 from the
# derivative cancels: $\partial L_{1/2} / \partial O_k = O_k - \hat{O}_k$.
#
# ### Predict, then run
#
# **Predict** before you run the next cell: which $O_2$ minimises $\tfrac12 L$ — the same as for
# $L$, or another one? And how do the gradients $\partial L/\partial w_7$ and $\partial(\tfrac12 L)/\partial w_7$ compare?


# %%
L_half_grid = [nnkit.loss((O1, o2), target, half=True) for o2 in o2_grid]
print("O2 that minimises L:      ", o2_grid[np.argmin(L_grid)])
print("O2 that minimises ½·L:    ", o2_grid[np.argmin(L_half_grid)])

full, half = nnkit.backward(params), nnkit.backward(params, half=True)
for name in ("w7", "w3"):
    print(f"∂L/∂{name} = {full[name]:.7f}   ∂(½L)/∂{name} = {half[name]:.7f}   ratio = {half[name] / full[name]:.3f}")


# %% [markdown]
# Multiplying a function by a positive constant scales its values and its slope, **but not where
# its minimum is**: if $L(a) \le L(b)$ then $\tfrac12 L(a) \le \tfrac12 L(b)$. So both losses are
# minimised by the same weights; every gradient is simply halved, which in gradient descent is the
# same as halving the learning rate.


# %%
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(o2_grid, L_grid, label=r"$L = \sum_k (O_k - \hat{O}_k)^2$")
ax.plot(o2_grid, L_half_grid, label=r"$\frac{1}{2} L$")
ax.axvline(target[1], color="gray", linestyle=":", label=r"both minima: $O_2 = \hat{O}_2$")
ax.set_title("Halving the loss does not move its minimum")
ax.set_xlabel("$O_2$")
ax.set_ylabel("loss")
ax.legend()
plt.show()


# %% [markdown]
# ## A sign slip in a handed-in solution
#
# The handed-in solution (page 0) typed the loss as $(O_1 \mathbin{\mathbf{+}} \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$ — a
# plus where a minus belongs — and then computed with the minus. Does the slip matter? With the
# homework's target $\hat{O}_1 = 0$, $O_1 + 0 = O_1 - 0$, so here both losses and their slopes
# coincide. For any other target they do not:


# %%
def typed_loss(outputs, targets):
    """The loss as the handed-in solution typed it: (O1 + Ô1)² + (O2 − Ô2)²."""
    (o1, o2), (t1, t2) = outputs, targets
    return (o1 + t1) ** 2 + (o2 - t2) ** 2

for t in (target, (1, 1)):
    print(f"target {t}:  L = {nnkit.loss((O1, O2), t):.6f}   typed loss = {typed_loss((O1, O2), t):.6f}"
          f"   ∂/∂O1: {2 * (O1 - t[0]):+.6f} vs {2 * (O1 + t[0]):+.6f}")


# %% [markdown]
# With target $\hat{O}_1 = 1$ the typed loss is smallest at $O_1 = -1$, not at $O_1 = 1$: its slope
# has the wrong sign, so gradient descent would push $O_1$ **away** from its target, towards 0
# (a sigmoid can never reach −1).


# %%
o1_grid = np.linspace(-1.5, 1.5, 301)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(o1_grid, [nnkit.loss((o1, O2), (1, 1)) for o1 in o1_grid], label=r"$(O_1 - \hat{O}_1)^2 + \dots$")
ax.plot(o1_grid, [typed_loss((o1, O2), (1, 1)) for o1 in o1_grid], "--", label=r"typed: $(O_1 + \hat{O}_1)^2 + \dots$")
ax.axvspan(0, 1, color="gray", alpha=0.15, label="values a sigmoid can take")
ax.set_title(r"The sign slip with target $\hat{O}_1 = 1$")
ax.set_xlabel("$O_1$")
ax.set_ylabel("loss")
ax.legend()
plt.show()


# %% [markdown]
# **Experiment here.** The next cell is yours (not locked, not graded): try other targets or
# outputs, or the typed loss, and add cells below it with **+** for anything else.


# %% tags=["experiment"]
my_outputs, my_targets = (0.6, 0.4), (1.0, 0.0)
print(nnkit.loss(my_outputs, my_targets), typed_loss(my_outputs, my_targets))


# %% [markdown]
# ## A question to answer in words (2 points)
#
# A classmate says: "The handed-in solution's typed loss is wrong, so all its gradients are wrong." Explain
# why, for *this* homework, every number of it is nevertheless unaffected, and what would go wrong if the
# same network were trained with the typed loss on a sample whose target is $\hat{O}_1 = 1$.


# %% [markdown] nbgrader={"grade_id": "nb02-sign-slip", "points": 2}
# The typed loss differs from the intended one only in the term $(O_1 + \hat{O}_1)^2$ versus
# $(O_1 - \hat{O}_1)^2$. The homework's target is $\hat{O}_1 = 0$, and for $\hat{O}_1 = 0$ the two terms
# are both $O_1^2$, so the loss, $\partial L / \partial O_1 = 2 O_1$ and every gradient built from it
# are identical; besides, the solution computed with the minus. With $\hat{O}_1 = 1$ the typed term is
# minimised at $O_1 = -1$: its slope $2(O_1 + 1)$ is positive for every output a sigmoid can produce,
# so gradient descent would always push $O_1$ down, towards 0, away from the target 1 — the network
# would learn the opposite of what it should for that output.


# %% [markdown]
# ## Summary
#
# * $L = \sum_k (O_k - \hat{O}_k)^2$; its slope $\partial L / \partial O_k = 2(O_k - \hat{O}_k)$ starts backpropagation.
# * The $\tfrac12$ convention halves every gradient and leaves the minimum where it is.
# * A sign slip in a loss can be invisible for one target and harmful for another: check with numbers.
#
# Next, **03-output-layer-gradient**: how $L$ changes with the weights $w_5 \dots w_8$ into the outputs.
