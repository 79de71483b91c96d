# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 1 · The forward pass
#
# This course starts from one homework (page 0): a tiny network with two inputs, two hidden units and
# two outputs, computed by hand. Here we compute its forward pass the same way — one unit, then all
# four, then as matrices — and check every value against `nnkit`.
#
# **Learning goals.** After this notebook you can
#
# * read the network's figure and name every weight and unit in the homework's notation;
# * compute one sigmoid unit by hand: weighted sum, then $\sigma$;
# * compute the whole forward pass, unit by unit and as matrix products $X W + b$;
# * explain what the sigmoid adds that a weighted sum alone cannot.
#
# Run the cells from top to bottom (Shift+Enter). Cells marked *Exercise* are yours to fill in;
# the cell after each one checks your answer at once.


# %%
import math
import numpy as np
import matplotlib.pyplot as plt
import nnkit
import nnkit.viz
from nnkit.feedback import check_function, passed
import nnkit.grading
from IPython.display import Markdown


# %% [markdown]
# ## The network
#
# Two inputs $x_1, x_2$ feed two hidden units $h_1, h_2$; those feed two outputs $O_1, O_2$.
# Every arrow carries a weight. The homework uses **one bias per layer**: $b_1$ is added in both
# hidden units and $b_2$ in both outputs. Blue arrows are positive weights; thicker means larger.


# %%
nnkit.viz.draw_network(title="The homework's 2-2-2 network")
plt.show()


# %% [markdown]
# ## Two notations for the same numbers
#
# The homework writes $h_{1i}$ for what goes **in**to unit $h_1$ and $h_{1o}$ for what comes
# **o**ut, and $O_1$ for the output `o1_out`. The code spells the same names out, so you can read both
# side by side:
#
# | code (`nnkit`) | homework | meaning |
# |---|---|---|
# | `h1_in`, `h2_in` | $h_{1i}$, $h_{2i}$ | weighted sum into a hidden unit |
# | `h1_out`, `h2_out` | $h_{1o}$, $h_{2o}$ | hidden unit's output, $\sigma(h_{1i})$ |
# | `o1_in`, `o2_in` | $O_{1i}$, $O_{2i}$ | weighted sum into an output unit |
# | `o1_out`, `o2_out` | $O_1$, $O_2$ | the network's outputs, $\sigma(O_{1i})$ |
# | `target` | $\hat{O}_1$, $\hat{O}_2$ | what the outputs should be |
#
# The homework's weights, biases and input:


# %%
params = nnkit.homework_params()
x1, x2 = nnkit.HOMEWORK_X
print("inputs: x1 =", x1, " x2 =", x2)
for name, value in params.items():
    print(f"{name} = {value}")


# %% [markdown]
# ## One unit by hand
#
# A unit does two things. It adds up its inputs, each times its weight, plus the bias:
#
# $$h_{1i} = w_1 x_1 + w_2 x_2 + b_1$$
#
# and then squashes that sum with the **sigmoid** $\sigma(z) = \dfrac{1}{1 + e^{-z}}$, which maps
# any number into $(0, 1)$:
#
# $$h_{1o} = \sigma(h_{1i}) = \frac{1}{1 + e^{-h_{1i}}}$$


# %%
h1_in = params["w1"] * x1 + params["w2"] * x2 + params["b1"]
h1_out = 1 / (1 + math.exp(-h1_in))
print(f"h1_in  = {h1_in:.6f}")
print(f"h1_out = {h1_out:.6f}")


# %% [markdown]
# ### Exercise 1 — one unit (2 points)
#
# Write `neuron(inputs, weights, bias)`: the output $\sigma\left(\sum_k w_k x_k + b\right)$ of one
# sigmoid unit, for **any number** of inputs (a list of inputs and a list of weights of the same
# length). For $h_1$ that is `neuron([x1, x2], [w1, w2], b1)`. Use `math.exp`; no `nnkit`
# function is needed.


# %% nbgrader={"grade_id": "nb01-neuron", "solution": true} nnkit={"may_use": []}
def neuron(inputs, weights, bias):
    """Output of one sigmoid unit: σ(Σ_k weights[k]·inputs[k] + bias), a float."""
    ### BEGIN SOLUTION
    z = sum(w * x for w, x in zip(weights, inputs)) + bias
    return 1 / (1 + math.exp(-z))
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb01-neuron-tests", "points": 2}
reference = nnkit.forward(params)
sigma = nnkit.homework.sigmoid
check_function(neuron, [
    (([x1, x2], [params["w1"], params["w2"]], params["b1"]), reference.h1_out),
    (([x1, x2], [params["w3"], params["w4"]], params["b1"]), reference.h2_out),
    (([0.5, -1.5, 2.0], [1.0, 0.5, -0.25], 0.3), sigma(1.0 * 0.5 + 0.5 * -1.5 - 0.25 * 2.0 + 0.3)),
], hint="first the weighted sum z = Σ w·x + b, then σ(z) = 1 / (1 + e^(−z))",
   slips=[("the bias is missing from the weighted sum",
           lambda i, w, b: sigma(sum(a * c for a, c in zip(i, w)))),
          ("you returned the weighted sum z; the unit's output is σ(z)",
           lambda i, w, b: sum(a * c for a, c in zip(i, w)) + b),
          ("the sign in the exponent: σ(z) = 1 / (1 + e^(−z)), with a minus",
           lambda i, w, b: sigma(-(sum(a * c for a, c in zip(i, w)) + b))),
          ("only the first two inputs are used: sum over all of them, however many there are",
           lambda i, w, b: sigma(i[0] * w[0] + i[1] * w[1] + b)),
          ("the homework's h1_out, whatever the inputs: compute it from inputs, weights and bias",
           lambda i, w, b: reference.h1_out)])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("neuron", neuron, inputs=[2.0, -1.0], weights=[-0.7, 0.25], bias=0.5)
verify("neuron", neuron, inputs=[0.3, 0.1, -2.0, 4.0], weights=[1.5, -2.0, 0.1, 0.2], bias=-0.4)
### END HIDDEN TESTS


# %% [markdown]
# ## All four units
#
# The second hidden unit uses $w_3, w_4$ and the same bias $b_1$. The outputs take the hidden
# outputs as *their* inputs, with weights $w_5 \dots w_8$ and bias $b_2$:
#
# $$h_{2i} = w_3 x_1 + w_4 x_2 + b_1 \qquad O_{1i} = w_5 h_{1o} + w_6 h_{2o} + b_2 \qquad O_{2i} = w_7 h_{1o} + w_8 h_{2o} + b_2$$
#
# $$O_1 = \sigma(O_{1i}) \qquad O_2 = \sigma(O_{2i})$$
#
# ### Exercise 2 — the whole forward pass (3 points)
#
# Write `forward_pass(params, x)` returning a dict with the four unit outputs `"h1_out"`,
# `"h2_out"`, `"o1_out"`, `"o2_out"`. Use your `neuron` (no `nnkit` function is needed); `params`
# is a dict like the one above and `x` a pair $(x_1, x_2)$.


# %% nbgrader={"grade_id": "nb01-forward-pass", "solution": true} nnkit={"may_use": []}
def forward_pass(params, x):
    """The four unit outputs of the 2-2-2 network: {"h1_out", "h2_out", "o1_out", "o2_out"}."""
    p = params
    ### BEGIN SOLUTION
    h1_out = neuron(x, [p["w1"], p["w2"]], p["b1"])
    h2_out = neuron(x, [p["w3"], p["w4"]], p["b1"])
    o1_out = neuron([h1_out, h2_out], [p["w5"], p["w6"]], p["b2"])
    o2_out = neuron([h1_out, h2_out], [p["w7"], p["w8"]], p["b2"])
    return {"h1_out": h1_out, "h2_out": h2_out, "o1_out": o1_out, "o2_out": o2_out}
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb01-forward-pass-tests", "points": 3}
from fixtures import VISIBLE_PARAMS


def expected_outputs(params, x, **swap):
    """nnkit.forward's four outputs; `swap` exchanges parameters, as a slip would."""
    params = {**params, **{a: params[b] for a, b in swap.items()}}
    f = nnkit.forward(params, x)
    return {"h1_out": f.h1_out, "h2_out": f.h2_out, "o1_out": f.o1_out, "o2_out": f.o2_out}


check_function(forward_pass, [
    ((params, (x1, x2)), expected_outputs(params, (x1, x2))),
    ((VISIBLE_PARAMS, (-1.0, 0.5)), expected_outputs(VISIBLE_PARAMS, (-1.0, 0.5))),
], hint="the outputs take h1_out and h2_out as their inputs; w5, w6 go to O1 and w7, w8 to O2",
   slips=[("O1 and O2 got each other's weights: w5, w6 lead into O1 and w7, w8 into O2",
           lambda p, x: expected_outputs(p, x, w5="w7", w6="w8", w7="w5", w8="w6")),
          ("w2 and w3 are swapped: w1, w2 lead into h1 (w2 multiplies x2), w3, w4 into h2",
           lambda p, x: expected_outputs(p, x, w2="w3", w3="w2")),
          ("the biases are swapped: b1 belongs to the hidden units, b2 to the outputs",
           lambda p, x: expected_outputs(p, x, b1="b2", b2="b1"))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("forward", forward_pass, params=HIDDEN_PARAMS_A, x=[0.4, 2.0])
verify("forward", forward_pass, params=HIDDEN_PARAMS_B, x=[-2.0, 1.0])
### END HIDDEN TESTS


# %% [markdown]
# Now every unit by hand, written as the homework writes it, next to what `nnkit.forward`
# computes. They agree to the last digit:


# %%
h2_in = params["w3"] * x1 + params["w4"] * x2 + params["b1"]
h2_out = 1 / (1 + math.exp(-h2_in))
o1_in = params["w5"] * h1_out + params["w6"] * h2_out + params["b2"]
o2_in = params["w7"] * h1_out + params["w8"] * h2_out + params["b2"]
o1_out, o2_out = 1 / (1 + math.exp(-o1_in)), 1 / (1 + math.exp(-o2_in))

by_hand = {"h1_in": h1_in, "h1_out": h1_out, "h2_in": h2_in, "h2_out": h2_out,
           "o1_in": o1_in, "o1_out": o1_out, "o2_in": o2_in, "o2_out": o2_out}
f = nnkit.forward(params, (x1, x2))
print(f"{'value':<8} {'by hand':>10} {'nnkit.forward':>14}")
for name, value in by_hand.items():
    print(f"{name:<8} {value:>10.6f} {getattr(f, name):>14.6f}")
    assert math.isclose(value, getattr(f, name), rel_tol=1e-12)


# %% [markdown]
# The handed-in solution (page 0) wrote each value with four decimals. Compare one of them with the exact value:


# %%
from nnkit.check import HANDED_IN
Markdown(f"The handed-in solution wrote $h_{{1o}} = {HANDED_IN['h1_out']}$. The exact value is ${f.h1_out:.6f}$, "
         f"which **rounds** to ${f.h1_out:.4f}$: the digits were cut off (truncated) instead of rounded. "
         f"That barely moves the later values, but it is a habit worth fixing; notebook 4 checks every "
         f"value of the homework this way.")


# %% [markdown]
# The same figure with these values written on the units (each unit shows what goes in and
# what comes out):


# %%
nnkit.viz.draw_network(values=f, x=(x1, x2), title="Forward pass of the homework network")
plt.show()


# %% [markdown]
# ## The same, as matrices
#
# Put the weights into a unit's **column**: column 1 of $W^{(1)}$ holds $(w_1, w_2)$, the weights
# into $h_1$; column 2 holds $(w_3, w_4)$. With the input as a row $X = (x_1, x_2)$, one matrix
# product computes both hidden sums at once, and the same again for the outputs:
#
# $$(h_{1i},\ h_{2i}) = X W^{(1)} + b_1 \qquad (O_{1i},\ O_{2i}) = \sigma(X W^{(1)} + b_1)\, W^{(2)} + b_2$$
#
# Stack several inputs as rows of $X$ (shape: samples × 2) and the same two lines compute the
# forward pass for all of them. `nnkit.MLP.from_homework()` holds the homework's weights this way:


# %%
model = nnkit.MLP.from_homework()
for key, value in model.params.items():
    print(f"{key} (shape {value.shape}):\n{value}\n")


# %% [markdown]
# ### Exercise 3 — the forward pass as matrices (3 points)
#
# Write `forward_matrix(X, W1, b1, W2, b2)`: for `X` of shape (n, d) return the outputs, an
# array of shape (n, k) whose row $j$ is the outputs for input row $j$ — for the homework
# (n, 2) → (n, 2), but it must work for any sizes: `W1` (d, h), `b1` (h,), `W2` (h, k), `b2` (k,).
# One line per layer: `@` for the product, `np.exp` for the sigmoid (it works element-wise on
# arrays). No `nnkit` function is needed.


# %% nbgrader={"grade_id": "nb01-forward-matrix", "solution": true} nnkit={"may_use": []}
def forward_matrix(X, W1, b1, W2, b2):
    """Outputs (n, k) of a sigmoid network with one hidden layer, inputs X (n, d): σ(σ(X W1 + b1) W2 + b2)."""
    ### BEGIN SOLUTION
    A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
    return 1 / (1 + np.exp(-(A1 @ W2 + b2)))
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb01-forward-matrix-tests", "points": 3}
X = np.array([[x1, x2], [0.0, 0.0], [-1.0, 3.0]])
other = nnkit.MLP([2, 3, 3], seed=7)          # other weights, 3 hidden units, 3 outputs
def forward_reference(X, W1, b1, W2, b2):
    """σ(σ(X W1 + b1) W2 + b2) by nnkit.MLP (its layers check the shapes)."""
    net = nnkit.MLP([W1.shape[0], W1.shape[1], W2.shape[1]])
    net.params = {"W1": W1, "b1": np.broadcast_to(b1, W1.shape[1:]), "W2": W2, "b2": np.broadcast_to(b2, W2.shape[1:])}
    return net.forward(X)[0]


def without_hidden_sigmoid(X, W1, b1, W2, b2):
    """The slip of forgetting the hidden layer's σ."""
    return 1 / (1 + np.exp(-((X @ W1 + b1) @ W2 + b2)))


check_function(forward_matrix, [
    ((X[:1], *model.params.values()), [[f.o1_out, f.o2_out]]),
    ((X, *other.params.values()), other.forward(X)[0]),
], hint="hidden layer: σ(X @ W1 + b1); output layer: σ(that @ W2 + b2)",
   slips=[("the hidden layer's σ is missing: the output layer takes σ(X @ W1 + b1) as its input",
           without_hidden_sigmoid),
          ("transposed weight matrices: column j of W1 holds the weights into unit j, so X @ W1, not X @ W1.T",
           lambda X, W1, b1, W2, b2: forward_reference(X, W1.T, b1, W2.T, b2))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("forward_matrix", forward_matrix, X=[[0.5, -1.0], [2.0, 0.3], [-0.7, 1.2], [0.0, 0.0]],
       W1=[[0.3, -0.8], [1.1, 0.4]], b1=[0.1, -0.2], W2=[[-0.5, 0.9], [0.6, 0.2]], b2=[0.05, -0.3])
### END HIDDEN TESTS


# %% [markdown]
# The matrix version gives exactly the numbers of the unit-by-unit version:


# %%
out, cache = model.forward(np.array([[x1, x2]]))
print("MLP.from_homework():", out[0])
print("nnkit.forward:      ", np.array([f.o1_out, f.o2_out]))
print("largest difference: ", np.max(np.abs(out[0] - [f.o1_out, f.o2_out])))


# %% [markdown]
# ### Predict, then run
#
# The weighted sum $h_{1i}$ is linear in the inputs. **Predict** before you run the next cell: if
# both inputs are doubled, to $(2, 4)$, does $h_{1i}$ double? Does $h_{1o}$?


# %%
doubled = nnkit.forward(params, (2 * x1, 2 * x2))
print(f"h1_in:  {f.h1_in:.6f} → {doubled.h1_in:.6f}   ratio {doubled.h1_in / f.h1_in:.4f}")
print(f"h1_out: {f.h1_out:.6f} → {doubled.h1_out:.6f}   ratio {doubled.h1_out / f.h1_out:.4f}")


# %% [markdown]
# Not quite double even inside: the bias $b_1$ does not double. And $h_{1o}$ grows far less,
# because $\sigma$ flattens out towards 1.
#
# **Experiment here.** The next cell is yours (it is not locked and not graded): change the input
# or a weight and run it again; add cells below it with the **+** button for anything else.


# %% tags=["experiment"]
my_params = {**nnkit.homework_params(), "w1": 0.5}
my_x = (1.0, 2.0)
print(nnkit.forward(my_params, my_x))


# %% [markdown]
# ## A question to answer in words (2 points)
#
# Suppose every $\sigma$ were removed, so each unit passed on its weighted sum unchanged. Show
# that $O_1$ would then be $a\,x_1 + b\,x_2 + c$ for some numbers $a, b, c$ built from the
# weights, however many hidden layers there were. What does this tell you about why a network
# needs a non-linear activation?


# %% [markdown] nbgrader={"grade_id": "nb01-why-sigmoid", "points": 2}
# Without $\sigma$, $h_{1o} = h_{1i} = w_1 x_1 + w_2 x_2 + b_1$ and likewise for $h_2$, so
# $O_1 = w_5 (w_1 x_1 + w_2 x_2 + b_1) + w_6 (w_3 x_1 + w_4 x_2 + b_1) + b_2
# = (w_5 w_1 + w_6 w_3)\,x_1 + (w_5 w_2 + w_6 w_4)\,x_2 + (w_5 + w_6)\,b_1 + b_2$: a linear
# function of the inputs. Each further layer substitutes a linear function into a linear
# function, which is again linear (in matrix form $X W^{(1)} W^{(2)}$ is $X$ times one matrix).
# So without a non-linear activation any depth computes no more than one linear layer and cannot
# separate, for example, XOR; the non-linearity is what lets depth add expressive power.


# %% [markdown]
# ## Summary
#
# * A unit computes a weighted sum plus bias, then the sigmoid: $h_{1o} = \sigma(w_1 x_1 + w_2 x_2 + b_1)$.
# * The forward pass applies that to the hidden layer, then to the outputs.
# * As matrices it is two lines, $\sigma(\sigma(X W^{(1)} + b_1) W^{(2)} + b_2)$, for any number of samples.
#
# Next, **02-loss**: how far are $O_1, O_2$ from the targets $\hat{O}_1, \hat{O}_2$?
