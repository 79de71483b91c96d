# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 5 · The training loop
#
# Notebooks 1–4 computed one forward pass and one set of gradients. Training repeats that: compute
# the gradients, move every parameter a small step against its gradient, and again. First on the
# homework's single example, then with a network you write yourself, on real data.
#
# **Learning goals.** After this notebook you can
#
# * write one gradient-descent update and the loop around it;
# * explain with the loss's curvature when a learning rate overshoots, and why the homework's own
#   example never does;
# * write the loss and gradients of a 2-layer network for a whole batch, as matrices, and check them
#   by finite differences;
# * train it with minibatch SGD on 2-D data and judge it by its accuracy on points it has not seen.


# %%
import numpy as np
import matplotlib.pyplot as plt
import nnkit
import nnkit.viz
from nnkit.feedback import WrongAnswer, check_function, check_value, passed
import nnkit.grading


# %% [markdown]
# ## One step of gradient descent
#
# The gradient points to where the loss grows fastest, so we step the other way. With learning rate
# $\eta$, every parameter moves at once:
#
# $$w_k \leftarrow w_k - \eta\,\frac{\partial L}{\partial w_k} \qquad (k = 1 \dots 8), \qquad b_j \leftarrow b_j - \eta\,\frac{\partial L}{\partial b_j}$$
#
# ### Exercise 1 — one update (2 points)
#
# Write `sgd_update(params, grads, lr)`: return a **new** dict with $p - \eta\,\partial L/\partial p$ for every
# key of `params`. Do not change `params` itself (the caller may still need the old values). No
# `nnkit` function is needed.


# %% nbgrader={"grade_id": "nb05-sgd-update", "solution": true} nnkit={"may_use": []}
def sgd_update(params, grads, lr):
    """A new dict {name: params[name] − lr · grads[name]}; `params` is left unchanged."""
    ### BEGIN SOLUTION
    return {name: value - lr * grads[name] for name, value in params.items()}
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb05-sgd-update-tests", "points": 2}
from fixtures import VISIBLE_PARAMS

before = dict(VISIBLE_PARAMS)
some_grads = nnkit.backward(VISIBLE_PARAMS, (1.5, -0.5), (0.2, 0.9))
sgd_update(VISIBLE_PARAMS, some_grads, 0.5)
check_value("params after sgd_update (it must not change them)", VISIBLE_PARAMS, before,
            hint="sgd_update changed params in place: build and return a new dict instead")


def stepped(sign=-1, use_lr=True):
    """p + sign·(lr·)g for every parameter: the update and its slips."""
    return lambda params, grads, lr: {k: v + sign * (lr if use_lr else 1) * grads[k] for k, v in params.items()}


check_function(sgd_update, [
    ((VISIBLE_PARAMS, some_grads, 0.5), nnkit.sgd_step(VISIBLE_PARAMS, some_grads, 0.5)),
    ((VISIBLE_PARAMS, some_grads, 3.0), nnkit.sgd_step(VISIBLE_PARAMS, some_grads, 3.0)),
], hint="subtract lr times the gradient, for every parameter",
   slips=[("gradient ascent: p + lr·g climbs the loss; descent subtracts", stepped(sign=+1)),
          ("the learning rate is missing: p − lr·g", stepped(use_lr=False))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
verify("sgd_step", sgd_update, params=HIDDEN_PARAMS_A, grads=HIDDEN_PARAMS_B, lr=0.75)
### END HIDDEN TESTS


# %% [markdown]
# One step with $\eta = 0.5$ lowers the loss:


# %%
params = nnkit.homework_params()
x, target = nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
after = nnkit.sgd_step(params, nnkit.backward(params, x, target), lr=0.5)
print(f"L before the step: {nnkit.loss(nnkit.forward(params, x), target):.6f}")
print(f"L after the step:  {nnkit.loss(nnkit.forward(after, x), target):.6f}")
print(f"w7: {params['w7']} → {after['w7']:.6f}    w3: {params['w3']} → {after['w3']:.6f}")


# %% [markdown]
# ### Exercise 2 — the loop (3 points)
#
# Write `train(params, x, target, lr, steps)`: take `steps` gradient-descent steps, recording the
# loss **before** each step. Return a dict `{"params": the final parameters, "losses": [the recorded
# losses]}`. You may call `nnkit.forward`, `nnkit.loss` and `nnkit.backward`, and your `sgd_update`.


# %% nbgrader={"grade_id": "nb05-train", "solution": true} nnkit={"may_use": ["forward", "loss", "backward"]}
def train(params, x, target, lr, steps):
    """`steps` SGD steps on one example: {"params": final params, "losses": [L before each step]}."""
    losses = []
    ### BEGIN SOLUTION
    for _ in range(steps):
        losses.append(nnkit.loss(nnkit.forward(params, x), target))
        params = sgd_update(params, nnkit.backward(params, x, target), lr)
    ### END SOLUTION
    return {"params": params, "losses": losses}


# %% nbgrader={"grade_id": "nb05-train-tests", "points": 3}
from fixtures import VISIBLE_PARAMS


def reference_train(params, x, target, lr, steps, record_after=False):
    """The loop, by nnkit; record_after: the slip of recording the loss after each step."""
    losses = []
    for _ in range(steps):
        if not record_after:
            losses.append(nnkit.loss(nnkit.forward(params, x), target))
        params = nnkit.sgd_step(params, nnkit.backward(params, x, target), lr)
        if record_after:
            losses.append(nnkit.loss(nnkit.forward(params, x), target))
    return {"params": params, "losses": losses}


check_function(train, [
    ((VISIBLE_PARAMS, (1.5, -0.5), (0.2, 0.9), 0.5, 3), reference_train(VISIBLE_PARAMS, (1.5, -0.5), (0.2, 0.9), 0.5, 3)),
    ((VISIBLE_PARAMS, (0.5, -1.0), (1.0, 1.0), 2.0, 5), reference_train(VISIBLE_PARAMS, (0.5, -1.0), (1.0, 1.0), 2.0, 5)),
], hint="in each step: record the loss, compute the gradients, update the parameters with sgd_update",
   slips=[("the loss is recorded after each step; record it before",
           lambda *a: reference_train(*a, record_after=True)),
          ("the parameters never change: assign the result of sgd_update back to params",
           lambda p, x, t, lr, steps: {"params": p, "losses": [nnkit.loss(nnkit.forward(p, x), t)] * steps})])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
from fixtures import HIDDEN_PARAMS_B
verify("train", train, params=HIDDEN_PARAMS_B, x=[2.0, -0.5], target=[1.0, 0.0], lr=1.5, steps=7)
### END HIDDEN TESTS


# %% [markdown]
# ## Training the homework network
#
# 200 steps with $\eta = 0.5$ (the loop written out, so this cell does not depend on your answers):


# %%
def gradient_descent(params, target, lr, steps):
    """`steps` steps on the homework's input; the final params and the loss before and after each."""
    losses = []
    for _ in range(steps):
        losses.append(nnkit.loss(nnkit.forward(params, x), target))
        params = nnkit.sgd_step(params, nnkit.backward(params, x, target), lr)
    losses.append(nnkit.loss(nnkit.forward(params, x), target))
    return params, losses


trained, losses = gradient_descent(nnkit.homework_params(), target, lr=0.5, steps=200)
start, end = nnkit.forward(nnkit.homework_params(), x), nnkit.forward(trained, x)
print(f"{'':>14} {'O1':>8} {'O2':>8} {'L':>9}")
print(f"{'before':>14} {start.o1_out:>8.4f} {start.o2_out:>8.4f} {losses[0]:>9.6f}")
print(f"{'after 200':>14} {end.o1_out:>8.4f} {end.o2_out:>8.4f} {losses[-1]:>9.6f}")
print(f"{'target':>14} {target[0]:>8} {target[1]:>8}")


# %%
nnkit.viz.plot_loss_curve(losses, xlabel="SGD step", first=0, title="Gradient descent on the homework (η = 0.5)")
plt.show()


# %% [markdown]
# ## Choosing the learning rate: curvature and overshoot
#
# Near a minimum $w^*$ a loss looks like a parabola, $L(w) \approx L^* + \tfrac{a}{2}(w - w^*)^2$, whose
# **curvature** $a = \partial^2 L/\partial w^2$ says how sharply it bends. One step gives
#
# $$w - w^* \;\leftarrow\; (w - w^*) - \eta\, a\,(w - w^*) = (1 - \eta a)\,(w - w^*)$$
#
# For $\eta < 1/a$ the step lands short of $w^*$ on the same side; for $1/a < \eta < 2/a$ it jumps
# past $w^*$ (it **overshoots**) but lands closer; for $\eta > 2/a$ it lands further away than it
# started, and the loss goes **up**. With many parameters $a$ is the largest curvature in any
# direction (the largest eigenvalue of the matrix of second derivatives).
#
# ### Predict, then run
#
# One example can overshoot too. Take the homework's network and input, but targets
# $(\hat{O}_1, \hat{O}_2) = (0.5, 0.3)$, which a sigmoid can reach exactly. **Predict** before you
# run the next cell: with $\eta = 20$, does the loss fall in every step?


# %%
reachable = (0.5, 0.3)
print(f"{'η':>5} {'steps where L went up':>22} {'L after 200 steps':>18}")
curves = {}
for lr in (0.5, 5.0, 20.0):
    _, curves[lr] = gradient_descent(nnkit.homework_params(), reachable, lr=lr, steps=200)
    rises = int(np.sum(np.diff(curves[lr]) > 0))
    print(f"{lr:>5} {rises:>22} {curves[lr][-1]:>18.2e}")


# %% [markdown]
# The curvature explains it. Train with a small $\eta$ until the loss is (numerically) zero, then
# measure the second derivatives there by finite differences of the gradient:


# %%
minimum, _ = gradient_descent(nnkit.homework_params(), reachable, lr=2.0, steps=5000)


def gradient_vector(p):
    g = nnkit.backward(p, x, reachable)
    return np.array([g[name] for name in nnkit.PARAM_NAMES])


h = 1e-5
hessian = np.column_stack([(gradient_vector({**minimum, name: minimum[name] + h})
                            - gradient_vector({**minimum, name: minimum[name] - h})) / (2 * h)
                           for name in nnkit.PARAM_NAMES])
curvature = np.linalg.eigvalsh((hessian + hessian.T) / 2).max()
print(f"L at the minimum found: {nnkit.loss(nnkit.forward(minimum, x), reachable):.1e}")
print(f"largest curvature a = {curvature:.4f}   →   2/a = {2 / curvature:.2f}")


# %% [markdown]
# $\eta = 0.5$ and $\eta = 5$ are below $2/a$ and settle into the minimum; $\eta = 20$ is above it and
# keeps bouncing across the valley. Each curve is labelled with its learning rate:


# %%
fig, ax = plt.subplots(figsize=(6, 4))
for lr, curve in curves.items():
    ax.plot(curve, label=f"η = {lr}")
ax.set_yscale("log")
ax.set_title("Targets (0.5, 0.3): the learning rate and overshoot")
ax.set_xlabel("SGD step")
ax.set_ylabel("L (log scale)")
ax.legend()
plt.show()


# %% [markdown]
# ### Why the homework itself never overshoots
#
# The homework's targets are $\hat{O}_1 = 0$ and $\hat{O}_2 = 1$: the sigmoid's **asymptotes**. $\sigma(z)$
# reaches 0 or 1 only as $z \to \mp\infty$, so the loss has no minimum at finite weights — there is no
# valley floor to jump across. Each step pushes the output sums further out, where $\sigma$ flattens and
# the curvature shrinks, so even a huge $\eta$ keeps lowering $L$, with ever larger weights:


# %%
print(f"{'η':>5} {'steps where L went up':>22} {'L after 200 steps':>18} {'largest |weight|':>17}")
for lr in (0.5, 5.0, 50.0):
    trained_lr, curve = gradient_descent(nnkit.homework_params(), target, lr=lr, steps=200)
    rises = int(np.sum(np.diff(curve) > 0))
    print(f"{lr:>5} {rises:>22} {curve[-1]:>18.2e} {max(abs(v) for v in trained_lr.values()):>17.2f}")


# %% [markdown]
# ## A network for a whole batch, as matrices
#
# Real data has many samples. Stack them as the rows of $X$ (shape (n, d)) and their targets as the
# rows of $Y$ (n, k). The network you wrote in notebook 1 computes all outputs at once; now each unit
# has **its own** bias ($b_1$ has h entries, $b_2$ has k — the homework's shared bias is the special case
# of equal entries):
#
# $$A_1 = \sigma(X W_1 + b_1) \quad (n, h) \qquad A_2 = \sigma(A_1 W_2 + b_2) \quad (n, k) \qquad
# L = \frac{1}{n} \sum_{i=1}^{n} \sum_{j=1}^{k} \bigl(A_{2,ij} - Y_{ij}\bigr)^2$$
#
# $L$ is the homework's loss **averaged over the samples**: for $n = 1$ it is exactly the homework's, and
# the average keeps the size of a step independent of how many samples a batch has.
#
# ### Exercise 3 — loss and gradients of a 2-layer network (4 points)
#
# Write `two_layer_loss_and_grads(X, Y, W1, b1, W2, b2)` returning `(L, grads)` with `grads` a dict
# `{"W1", "b1", "W2", "b2"}` of arrays shaped like the parameters. It is notebook 4's backward pass
# applied twice: the output layer's $dZ_2 = \partial L/\partial (A_1 W_2 + b_2)$ (mind the $\tfrac1n$), then
# `dense_backward`'s three lines, then the sigmoid's slope, then the three lines again. Write it with
# numpy only (no `nnkit` function is needed); the check compares your gradients with finite differences
# on a network of other sizes, with 3 outputs.


# %% nbgrader={"grade_id": "nb05-two-layer", "solution": true} nnkit={"may_use": []}
def two_layer_loss_and_grads(X, Y, W1, b1, W2, b2):
    """L = mean over rows of Σ_k (A2 − Y)² for A2 = σ(σ(X W1 + b1) W2 + b2), and its gradients."""
    ### BEGIN SOLUTION
    n = X.shape[0]
    A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
    A2 = 1 / (1 + np.exp(-(A1 @ W2 + b2)))
    L = np.sum((A2 - Y) ** 2) / n
    dZ2 = 2 * (A2 - Y) / n * A2 * (1 - A2)
    dA1 = dZ2 @ W2.T
    dZ1 = dA1 * A1 * (1 - A1)
    grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}
    return L, grads
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb05-two-layer-tests", "points": 4}
rng = np.random.default_rng(5)
net = nnkit.MLP([3, 4, 3], hidden="sigmoid", output="sigmoid", loss="sse", seed=5)
X_check, Y_check = rng.normal(size=(6, 3)), rng.uniform(size=(6, 3))


def loss_and_numeric_grads(X, Y, W1, b1, W2, b2, scale=1.0):
    """nnkit.MLP's loss (the same L) and its gradients by central differences (nnkit.numerical_gradient)."""
    def loss_at(p):
        net.params = p
        return scale * net.loss(X, Y)
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    value, numeric = loss_at(params), nnkit.numerical_gradient(loss_at, params)
    net.params = params
    return value, numeric


check_function(two_layer_loss_and_grads, [
    ((X_check, Y_check, *net.params.values()), loss_and_numeric_grads(X_check, Y_check, *net.params.values())),
    ((X_check[:1], Y_check[:1], *net.params.values()), loss_and_numeric_grads(X_check[:1], Y_check[:1], *net.params.values())),
], rtol=1e-5, atol=1e-8, hint="forward: A1, A2, L; backward: dZ2 = 2(A2 − Y)/n ⊙ A2(1 − A2), then dW2 = A1ᵀdZ2, dA1 = dZ2 W2ᵀ, …",
   slips=[("the sum over the samples instead of the mean: L and every gradient are n times too large",
           lambda X, *a: loss_and_numeric_grads(X, *a, scale=len(X))),
          ("the ½ convention: this L has no ½", lambda *a: loss_and_numeric_grads(*a, scale=0.5))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("two_layer", two_layer_loss_and_grads, X=[[0.5, -1.0], [2.0, 0.3], [-0.7, 1.2]], Y=[[1.0], [0.0], [1.0]],
       W1=[[0.3, -0.8, 0.5], [1.1, 0.4, -0.2]], b1=[0.1, -0.2, 0.0], W2=[[-0.5], [0.6], [0.9]], b2=[0.05])
### END HIDDEN TESTS


# %% [markdown]
# For one sample with the homework's weights (both entries of each bias equal), your network gives
# the homework's numbers: $\partial L/\partial w_7$ is entry (1, 2) of $\partial L/\partial W_2$, and the shared
# bias's gradient is the sum of the two entries of $\partial L/\partial b_2$ (shown only if your Exercise 3 runs):


# %%
homework_net = nnkit.MLP.from_homework()
W1_hw, W2_hw = homework_net.params["W1"], homework_net.params["W2"]
b1_hw, b2_hw = np.repeat(homework_net.params["b1"], 2), np.repeat(homework_net.params["b2"], 2)
L_hw, grads_hw = two_layer_loss_and_grads(np.array([x], dtype=float), np.array([target], dtype=float),
                                          W1_hw, b1_hw, W2_hw, b2_hw)
scalar = nnkit.backward(params, x, target)
print(f"L      = {L_hw:.6f}   (nnkit.loss: {nnkit.loss(nnkit.forward(params, x), target):.6f})")
print(f"∂L/∂w7 = {grads_hw['W2'][0, 1]:.6f}   (nnkit.backward: {scalar['w7']:.6f})")
print(f"∂L/∂b2 = {grads_hw['b2'].sum():.6f}   (nnkit.backward: {scalar['b2']:.6f})")


# %% [markdown]
# ## Minibatch SGD
#
# On n samples the gradient of the mean loss is the mean of n per-sample gradients. **Minibatch
# SGD** estimates it from a few rows at a time: split the (shuffled) rows into batches $B$ of, say,
# 20, and take one step per batch,
#
# $$\theta \leftarrow \theta - \eta\, \nabla_\theta L_B(\theta), \qquad L_B = \frac{1}{|B|} \sum_{i \in B} \sum_j (A_{2,ij} - Y_{ij})^2$$
#
# One pass over all batches is an **epoch**: 10 steps for 200 samples in batches of 20, where full-batch
# gradient descent would take 1. Each step is cheaper and noisier; the noise averages out over steps.
#
# ### Exercise 4 — one epoch (3 points)
#
# Write `sgd_epoch(params, X, Y, lr, batch_size)`: go through the rows of `X`, `Y` **in order** in
# batches of `batch_size` rows (the last batch may be smaller), take one step per batch with your
# `two_layer_loss_and_grads` and `sgd_update`, and return the final params (a new dict; the caller
# shuffles the rows before each epoch). No `nnkit` function is needed.


# %% nbgrader={"grade_id": "nb05-sgd-epoch", "solution": true} nnkit={"may_use": []}
def sgd_epoch(params, X, Y, lr, batch_size):
    """One pass over (X, Y) in minibatches of batch_size rows; returns the updated params."""
    ### BEGIN SOLUTION
    for start in range(0, len(X), batch_size):
        batch = slice(start, start + batch_size)
        _, grads = two_layer_loss_and_grads(X[batch], Y[batch], **params)
        params = sgd_update(params, grads, lr)
    return params
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb05-sgd-epoch-tests", "points": 3}
def reference_epoch(params, X, Y, lr, batch_size):
    """One epoch with nnkit.MLP's gradients (the same network and loss)."""
    model = nnkit.MLP([X.shape[1], params["W1"].shape[1], Y.shape[1]], loss="sse")
    model.params = params
    for start in range(0, len(X), batch_size):
        _, grads = model.loss_and_grads(X[start:start + batch_size], Y[start:start + batch_size])
        model.params = {k: model.params[k] - lr * grads[k] for k in grads}
    return model.params


rng = np.random.default_rng(6)
start_params = dict(nnkit.MLP([2, 5, 3], seed=6).params)
X_epoch, Y_epoch = rng.normal(size=(7, 2)), rng.uniform(size=(7, 3))
check_function(sgd_epoch, [
    ((start_params, X_epoch, Y_epoch, 0.8, 3), reference_epoch(start_params, X_epoch, Y_epoch, 0.8, 3)),
    ((start_params, X_epoch, Y_epoch, 0.8, 7), reference_epoch(start_params, X_epoch, Y_epoch, 0.8, 7)),
], rtol=1e-6, hint="for start in range(0, n, batch_size): one step on rows start … start + batch_size",
   slips=[("the last, smaller batch is skipped: 7 rows in batches of 3 are 3 + 3 + 1",
           lambda p, X, Y, lr, b: reference_epoch(p, X[:len(X) // b * b], Y[:len(X) // b * b], lr, b)),
          ("one step on the whole batch: take one step per minibatch",
           lambda p, X, Y, lr, b: reference_epoch(p, X, Y, lr, len(X)))])
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify

verify("sgd_epoch", sgd_epoch,
       params={"W1": [[0.3, -0.8, 0.5], [1.1, 0.4, -0.2]], "b1": [0.1, -0.2, 0.0], "W2": [[-0.5], [0.6], [0.9]], "b2": [0.05]},
       X=[[0.5, -1.0], [2.0, 0.3], [-0.7, 1.2], [0.0, 0.4], [1.5, -0.5]], Y=[[1.0], [0.0], [1.0], [0.0], [1.0]],
       lr=0.7, batch_size=2)
### END HIDDEN TESTS


# %% [markdown]
# ## Real data: two moons
#
# 200 points in two interleaving half-moons, labels 0 and 1, and 200 **fresh** points drawn the same
# way, which training never sees. The network predicts class 1 where its one sigmoid output is above
# 0.5. Its **accuracy** on a set of points is the fraction it classifies correctly: on the training
# points it says how well the network fits them; on the fresh points — the **test accuracy** — how well
# it has learnt the shape of the moons rather than these 200 points.


# %%
X_train, Y_train = nnkit.datasets.moons(n_samples=200, noise=0.2, seed=0)
X_test, Y_test = nnkit.datasets.moons(n_samples=200, noise=0.2, seed=1)
print("X_train:", X_train.shape, " Y_train:", Y_train.shape, " class 1:", int(Y_train.sum()), "of", len(Y_train))


def accuracy(params, X, Y):
    """Fraction of rows whose predicted class (output > 0.5) is the label."""
    A1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    A2 = 1 / (1 + np.exp(-(A1 @ params["W2"] + params["b2"])))
    return float(np.mean((A2 > 0.5) == (Y > 0.5)))


# %% [markdown]
# ### Exercise 5 — train it (2 points)
#
# Train a network with 2 inputs, one hidden layer and 1 output on `X_train`, `Y_train` with your
# `sgd_epoch`, shuffling the rows before each epoch (`rng.permutation`), and store the trained
# parameters in `moons_params`. Choose the hidden size, learning rate, batch size and number of
# epochs; the goal is a **test accuracy of at least 95 %** on `X_test`. Start the weights small and
# random (`rng.normal`), the biases at 0. Keep the cell under a few seconds. No `nnkit` function is needed.


# %% nbgrader={"grade_id": "nb05-moons", "solution": true} nnkit={"may_use": []}
rng = np.random.default_rng(0)
### BEGIN SOLUTION
hidden, lr, epochs, batch_size = 16, 5.0, 300, 20
moons_params = {"W1": rng.normal(size=(2, hidden)), "b1": np.zeros(hidden),
                "W2": rng.normal(size=(hidden, 1)), "b2": np.zeros(1)}
for _ in range(epochs):
    order = rng.permutation(len(X_train))
    moons_params = sgd_epoch(moons_params, X_train[order], Y_train[order], lr, batch_size)
### END SOLUTION
print(f"training accuracy: {accuracy(moons_params, X_train, Y_train):.1%}")


# %% nbgrader={"grade_id": "nb05-moons-tests", "points": 2}
test_accuracy = accuracy(moons_params, X_test, Y_test)
if test_accuracy < 0.95:
    raise WrongAnswer(f"test accuracy {test_accuracy:.1%} is below 95 %: train longer, with another "
                      "learning rate or more hidden units (and check the training accuracy above)")
print(f"✓ test accuracy {test_accuracy:.1%} ≥ 95 %")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("moons_test_accuracy", moons_params, n_samples=200, noise=0.2, seed=1, at_least=0.95)
### END HIDDEN TESTS


# %% [markdown]
# Your network on the fresh points, and the line where its output crosses 0.5 (the instructor's
# solution uses 16 hidden units, $\eta = 5$, batches of 20 and 300 epochs); the title names the one
# accuracy that counts, the test accuracy:


# %%
moons_model = nnkit.MLP([2, moons_params["W1"].shape[1], 1], hidden="sigmoid", output="sigmoid", loss="sse")
moons_model.params = moons_params
fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
nnkit.viz.plot_decision_boundary(moons_model, X_test, Y_test, ax=ax)
ax.set_title(f"Moons, fresh points: test accuracy {accuracy(moons_params, X_test, Y_test):.1%}")
plt.show()


# %% [markdown]
# **Experiment here.** The next cell is yours (not locked, not graded): train with other learning
# rates, batch sizes or hidden sizes and compare the test accuracy; add cells below with **+**.


# %% tags=["experiment"]
my_rng = np.random.default_rng(1)
my_params = {"W1": my_rng.normal(size=(2, 4)), "b1": np.zeros(4), "W2": my_rng.normal(size=(4, 1)), "b2": np.zeros(1)}
for _my_epoch in range(100):
    my_order = my_rng.permutation(len(X_train))
    my_params = sgd_epoch(my_params, X_train[my_order], Y_train[my_order], 5.0, 20)
print(f"4 hidden units, 100 epochs: test accuracy {accuracy(my_params, X_test, Y_test):.1%}")


# %% [markdown]
# ## Playground: train it yourself
#
# Pick a data set, the hidden layer sizes (e.g. `8, 8`) and the learning rate, then press *Train* and
# watch the decision boundary and the loss curve change while it learns; *Pause* stops it. Keep the
# activation at `sigmoid`: the other choices (tanh, ReLU) are activations this course has not taught.


# %% tags=["nbval-ignore-output"]
import nnkit.widgets
nnkit.widgets.ClassificationPlayground(activation="sigmoid")


# %% [markdown]
# ## A question to answer in words (2 points)
#
# With targets $(0.5, 0.3)$, $\eta = 20$ made the loss go up in many steps, while on the homework's
# targets $(0, 1)$ even $\eta = 50$ never did. Explain both with the step $-\eta\,\partial L/\partial w$
# and the curvature of the loss.


# %% [markdown] nbgrader={"grade_id": "nb05-learning-rate", "points": 2}
# Near a minimum the loss is close to a parabola of curvature $a$, and one step multiplies the distance
# to the minimum by $(1 - \eta a)$. With targets $(0.5, 0.3)$ the sigmoid can reach the targets, so the loss
# has a minimum at finite weights with largest curvature $a$ as measured above; $\eta = 20$ is larger than
# $2/a$, so $|1 - \eta a| > 1$ in that direction: each step jumps across the valley to a point further from
# the bottom, and the loss rises. With targets 0 and 1 — the sigmoid's asymptotes — the minimum lies at
# infinite weights: there is no valley floor to jump across. Every step moves the output sums further out,
# where the sigmoid is flatter and the curvature smaller, so even $\eta = 50$ keeps lowering $L$; the
# weights just grow.


# %% [markdown]
# ## Summary
#
# * Training is a loop: forward, backward, $p \leftarrow p - \eta\,\partial L/\partial p$.
# * A step overshoots when $\eta$ exceeds $2/a$ for the loss's curvature $a$; targets at the sigmoid's
#   asymptotes have no finite minimum, so nothing to overshoot.
# * The backpropagation you did by hand, written as matrices for a batch and run in minibatches,
#   trains a network that separates the moons on points it has never seen.
