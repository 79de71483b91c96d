# ruff: noqa: E402, E501, F811

# %% [markdown]
# # 5 · The training loop
#
# Notebooks 1–4 computed one forward pass and one set of gradients. Training repeats that: compute
# the gradients, move every parameter a small step against its gradient, and again. First on the
# homework's single example, then on real data.
#
# **Learning goals.** After this notebook you can
#
# * write one gradient-descent update and the loop around it;
# * read a loss curve, and choose a learning rate by comparing curves;
# * train a network on 2-D data and on handwritten digits with `nnkit.fit`, and judge it by its
#   accuracy on data it has not seen.


# %%
import matplotlib.pyplot as plt
import nnkit
import nnkit.viz
from nnkit.feedback import check_function, check_value, passed
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
# key of `params`. Do not change `params` itself (the caller may still need the old values).


# %% nbgrader={"grade_id": "nb05-sgd-update", "solution": true}
def sgd_update(params, grads, lr):
    """A new dict {name: params[name] − lr · grads[name]}; `params` is left unchanged."""
    ### BEGIN SOLUTION
    return {name: value - lr * grads[name] for name, value in params.items()}
    ### END SOLUTION


# %% nbgrader={"grade_id": "nb05-sgd-update-tests", "points": 2}
params = nnkit.homework_params()
x, target = nnkit.HOMEWORK_X, nnkit.HOMEWORK_TARGET
grads = nnkit.backward(params, x, target)
check_function(sgd_update, [
    ((params, grads, 0.5), nnkit.sgd_step(params, grads, 0.5)),
    ((params, grads, 3.0), nnkit.sgd_step(params, grads, 3.0)),
], hint="subtract lr times the gradient, for every parameter")
check_value("params (unchanged by sgd_update)", params, nnkit.homework_params(),
            hint="build a new dict instead of changing params in place")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_A, HIDDEN_PARAMS_B
case = dict(params=HIDDEN_PARAMS_A, grads=HIDDEN_PARAMS_B, lr=0.75)     # any numbers serve as gradients here
verify("sgd_step", sgd_update(**fresh(case)), **case)
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
# Write `train(params, x, target, lr, steps)`: take `steps` gradient-descent steps (use
# `nnkit.backward` for the gradients and your `sgd_update`), recording the loss **before** each
# step. Return a dict `{"params": the final parameters, "losses": [the recorded losses]}`.


# %% nbgrader={"grade_id": "nb05-train", "solution": true}
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
def reference_train(params, x, target, lr, steps):
    losses = []
    for _ in range(steps):
        losses.append(nnkit.loss(nnkit.forward(params, x), target))
        params = nnkit.sgd_step(params, nnkit.backward(params, x, target), lr)
    return {"params": params, "losses": losses}

check_function(train, [
    ((nnkit.homework_params(), x, target, 0.5, 3), reference_train(nnkit.homework_params(), x, target, 0.5, 3)),
    ((nnkit.homework_params(), (0.5, -1.0), (1.0, 1.0), 2.0, 5),
     reference_train(nnkit.homework_params(), (0.5, -1.0), (1.0, 1.0), 2.0, 5)),
], hint="in each step: record the loss, compute the gradients, update the parameters with sgd_update")
passed()
### BEGIN HIDDEN TESTS
from nnkit.grading import fresh, verify
from fixtures import HIDDEN_PARAMS_B
case = dict(params=HIDDEN_PARAMS_B, x=[2.0, -0.5], target=[1.0, 0.0], lr=1.5, steps=7)
verify("train", train(**fresh(case)), **case)
### END HIDDEN TESTS


# %% [markdown]
# ## Training the homework network
#
# 200 steps with $\eta = 0.5$ (the loop written out, so this cell does not depend on your answers):


# %%
def gradient_descent(params, lr, steps):
    losses = []
    for _ in range(steps):
        losses.append(nnkit.loss(nnkit.forward(params, x), target))
        params = nnkit.sgd_step(params, nnkit.backward(params, x, target), lr)
    losses.append(nnkit.loss(nnkit.forward(params, x), target))
    return params, losses

trained, losses = gradient_descent(nnkit.homework_params(), lr=0.5, steps=200)
start, end = nnkit.forward(nnkit.homework_params(), x), nnkit.forward(trained, x)
print(f"{'':>14} {'O1':>8} {'O2':>8} {'L':>9}")
print(f"{'before':>14} {start.o1_out:>8.4f} {start.o2_out:>8.4f} {losses[0]:>9.6f}")
print(f"{'after 200':>14} {end.o1_out:>8.4f} {end.o2_out:>8.4f} {losses[-1]:>9.6f}")
print(f"{'target':>14} {target[0]:>8} {target[1]:>8}")


# %%
nnkit.viz.plot_loss_curve(losses, xlabel="SGD step", first=0, title="Gradient descent on the homework (η = 0.5)")
plt.show()


# %% [markdown]
# ## Choosing the learning rate
#
# The same 200 steps with four learning rates. A small $\eta$ is safe but slow. On this one example a
# large $\eta$ looks excellent — but look at the weights it ends with:


# %%
fig, ax = plt.subplots(figsize=(6, 4))
for lr in (0.1, 0.5, 2.0, 50.0):
    trained_lr, losses_lr = gradient_descent(nnkit.homework_params(), lr=lr, steps=200)
    ax.plot(losses_lr, label=f"η = {lr}")
    print(f"η = {lr:>4}: final L = {losses_lr[-1]:.2e}, largest |weight| = {max(abs(v) for v in trained_lr.values()):.2f}")
ax.set_yscale("log")
ax.set_title("Learning rates on the homework example")
ax.set_xlabel("SGD step")
ax.set_ylabel("L (log scale)")
ax.legend()
plt.show()


# %% [markdown]
# With one example there is nothing to overshoot: a huge step simply drives the outputs into the flat
# ends of the sigmoid, with weights many times larger than at the start. On real data, with many
# examples pulling in different directions, a too-large step makes the loss jump instead of fall.
#
# ## Real data: two moons
#
# 200 points in two interleaving half-moons, labels 0 and 1. A network with 2 inputs, 16 tanh hidden
# units and one sigmoid output (the probability of class 1), trained with the cross-entropy loss on
# full batches by `nnkit.fit`:


# %%
X, Y = nnkit.datasets.moons(n_samples=200, noise=0.2, seed=0)
X_new, Y_new = nnkit.datasets.moons(n_samples=200, noise=0.2, seed=1)   # fresh samples, for testing
print("X:", X.shape, " Y:", Y.shape, " class 1:", int(Y.sum()), "of", len(Y))


# %% tags=["nbval-ignore-output"]
moons_model = nnkit.MLP([2, 16, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0)
moons_history = nnkit.fit(moons_model, X, Y, lr=1.0, epochs=500, progress=True)


# %%
print(f"loss: first epoch {moons_history['loss'][0]:.4f}, last epoch {moons_history['loss'][-1]:.4f}")
print(f"accuracy on the training points: {moons_model.accuracy(X, Y):.1%}")
print(f"accuracy on fresh points:        {moons_model.accuracy(X_new, Y_new):.1%}")


# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
nnkit.viz.plot_loss_curve(moons_history, ax=ax1, title="Moons: training loss")
nnkit.viz.plot_decision_boundary(moons_model, X, Y, ax=ax2)
ax2.set_title("Moons: decision boundary")
plt.show()


# %% [markdown]
# And the learning rate on real data: too small crawls, too large jumps about.


# %%
fig, ax = plt.subplots(figsize=(6, 4))
for lr in (0.05, 1.0, 30.0):
    history = nnkit.fit(nnkit.MLP([2, 16, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0),
                        X, Y, lr=lr, epochs=500, progress=False)
    ax.plot(history["loss"], label=f"η = {lr}")
    print(f"η = {lr:>5}: final loss {history['loss'][-1]:.4f}, training accuracy {history['accuracy'][-1]:.1%}")
ax.set_yscale("log")
ax.set_title("Learning rates on the moons")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy loss (log scale)")
ax.legend()
plt.show()


# %% [markdown]
# ## Real data: handwritten digits
#
# 1,797 scanned digits of 8×8 pixels (64 inputs), ten classes. A hidden layer of 32 ReLU units and a
# softmax output of 10 probabilities; minibatches of 32 samples, so each epoch takes many small steps.
# A fixed fifth of the digits is kept aside for testing.


# %%
X_train, Y_train, X_test, Y_test = nnkit.datasets.digits()
print("training:", X_train.shape, "  test:", X_test.shape)


# %% tags=["nbval-ignore-output"]
digits_model = nnkit.MLP([64, 32, 10], hidden="relu", output="softmax", loss="softmax_ce", seed=0)
digits_history = nnkit.fit(digits_model, X_train, Y_train, lr=0.1, epochs=20, batch_size=32, progress=True)


# %%
print(f"loss: first epoch {digits_history['loss'][0]:.4f}, last epoch {digits_history['loss'][-1]:.4f}")
print(f"training accuracy: {digits_model.accuracy(X_train, Y_train):.1%}")
print(f"test accuracy:     {digits_model.accuracy(X_test, Y_test):.1%}")


# %%
predicted = digits_model.predict(X_test)
fig, axes = plt.subplots(2, 8, figsize=(10, 3), layout="constrained")
for ax, image, label, guess in zip(axes.flat, X_test, Y_test.argmax(axis=1), predicted):
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{guess}" + ("" if guess == label else f" (is {label})"), color="black" if guess == label else "C3")
    ax.axis("off")
fig.suptitle("Test digits and the network's guesses (red: wrong)")
plt.show()


# %%
nnkit.viz.plot_loss_curve(digits_history, title="Digits: training loss")
plt.show()


# %% [markdown]
# ## Playground: train it yourself
#
# Pick a data set, the hidden layer sizes (e.g. `8, 8`), the activation and the learning rate, then
# press *Train* and watch the decision boundary and the loss curve change while it learns; *Pause*
# stops it. Try a learning rate that is too large, or a single hidden unit on the circles.


# %% tags=["nbval-ignore-output"]
import nnkit.widgets
nnkit.widgets.ClassificationPlayground()


# %% [markdown]
# ## A question to answer in words (2 points)
#
# On the moons, compare the curves for $\eta = 0.05$ and $\eta = 30$. Explain what goes wrong in each
# case, in terms of the step $-\eta\,\partial L/\partial w$, and why the homework example with its single
# sample did not show the second problem.


# %% [markdown] nbgrader={"grade_id": "nb05-learning-rate", "points": 2}
# With $\eta = 0.05$ every step is tiny: the loss falls steadily but slowly, and after 500 epochs the
# network is still far from the minimum (lower accuracy). With $\eta = 30$ the steps are so large that
# they overshoot the valley of the loss: the update moves past the minimum to a point where the loss is
# higher, so the curve jumps up and down instead of falling. On the homework example a single sample
# can be fitted exactly by pushing the sigmoid outputs towards 0 and 1; there is no valley floor to
# overshoot, every large step just saturates the units further, so even a huge $\eta$ keeps lowering $L$
# (with absurdly large weights).


# %% [markdown]
# ## Summary
#
# * Training is a loop: forward, backward, $p \leftarrow p - \eta\,\partial L/\partial p$.
# * The learning rate trades speed for stability; compare loss curves to choose it.
# * The same backpropagation you computed by hand trains a network that reads handwritten digits.
