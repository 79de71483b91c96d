# ruff: noqa: E501

# %% [markdown]
# # 0 · The homework
#
# Everything in this kit grows from one homework on a tiny neural network. This page has the
# assignment, then **a handed-in solution** exactly as one student wrote it (their name left out):
# its notation, its four-decimal numbers and its slips. The notebooks that follow compute every
# value of it exactly, and where this solution slips they say so — read it now, and again after
# notebook 4.
#
# **Learning goals.** After this page you can
#
# * state the network, its inputs, weights, biases and targets, and the two questions asked;
# * read the handed-in solution's notation ($h_{1i}$ in, $h_{1o}$ out; $O_{1i}$, $O_1$) that the notebooks use.


# %% [markdown] nbgrader={"grade_id": "nb00-assignment", "locked": true}
# ## The assignment
#
# A network has two inputs $x_1, x_2$, two hidden units $h_1, h_2$ and two outputs $O_1, O_2$, every unit
# a sigmoid $\sigma(z) = 1/(1 + e^{-z})$. One bias per layer: $b_1$ is added in both hidden units,
# $b_2$ in both outputs. The weights $w_1, w_2$ lead into $h_1$, $w_3, w_4$ into $h_2$, $w_5, w_6$ into
# $O_1$ and $w_7, w_8$ into $O_2$:
#
# $$x_1 = 1,\ x_2 = 2 \qquad b_1 = 0.1,\ b_2 = 0.2$$
#
# $$w_1 = 0.1,\ w_2 = 0.2,\ w_3 = 0.3,\ w_4 = 0.4 \qquad w_5 = 0.2,\ w_6 = 0.1,\ w_7 = 0.4,\ w_8 = 0.3$$
#
# The targets are $\hat{O}_1 = 0$ and $\hat{O}_2 = 1$.
#
# 1. Compute the forward pass: $h_{1i}, h_{2i}, h_{1o}, h_{2o}, O_{1i}, O_{2i}, O_1, O_2$.
# 2. With the squared-error loss $L = (O_1 - \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$, compute
#    $\partial L/\partial w_7$ and $\partial L/\partial w_3$ by the chain rule.


# %% [markdown] nbgrader={"grade_id": "nb00-handed-in", "locked": true} tags=["handed-in"]
# ## A handed-in solution
#
# As written, slips included (the notebooks point them out: notebook 1 the rounding, notebook 2 the
# loss's sign, notebook 4 the last line):
#
# $$x_1 = 1, x_2 = 2$$
#
# $$w_1 = 0.1, w_2 = 0.2, w_3 = 0.3, w_4 = 0.4$$
#
# $$w_5 = 0.2, w_6 = 0.1, w_7 = 0.4, w_8 = 0.3$$
#
# $$b_1 = 0.1, b_2 = 0.2$$
#
# $$h_{1i} = w_1 x_1 + w_2 x_2 + b_1$$
#
# $$= 0.1 \times 1 + 0.2 \times 2 + 0.1 = 0.6$$
#
# $$h_{2i} = w_3 x_1 + w_4 x_2 + b_1$$
#
# $$= 0.3 \times 1 + 0.4 \times 2 + 0.1 = 1.2$$
#
# $$h_{10} = \frac{1}{1 + e^{-h_{1i}}}$$
#
# $$= \frac{1}{1 + e^{-0.6}} = 0.6456$$
#
# $$h_{20} = \frac{1}{1 + e^{-h_{2i}}}$$
#
# $$= \frac{1}{1 + e^{-1.2}} = 0.7685$$
#
# $$O_{1i} = w_5 h_{10} + w_6 h_{20} + b_2$$
#
# $$= 0.2 \times 0.6456 + 0.1 \times 0.7685 + 0.2 = 0.4059$$
#
# $$O_{2i} = w_7 h_{10} + w_8 h_{20} + b_2$$
#
# $$= 0.4 \times 0.6456 + 0.3 \times 0.7685 + 0.2 = 0.6887$$
#
# $$\therefore O_1 = \frac{1}{1 + e^{-0.11}}$$
#
# $$= \frac{1}{1 + e^{-0.4059}} = 0.6001$$
#
# $$\therefore O_2 = \frac{1}{1 + e^{-0.21}}$$
#
# $$= \frac{1}{1 + e^{-0.6887}} = 0.6656$$
#
# $$Q2) \quad L = (O_1 + \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$$
#
# Let's find $\frac{\partial L}{\partial w_7}$ first
#
# $$\frac{\partial L}{\partial w_7} = \frac{\partial L}{\partial O_2} \times \frac{\partial O_2}{\partial O_{2i}} \times \frac{\partial O_{2i}}{\partial w_7}$$
#
# $$\begin{aligned}
#  \frac{\partial L}{\partial O_2} &= 0 + 2(O_2 - \hat{O}_2)^{2-1} \times -1 \\
#  &= -2(O_2 - \hat{O}_2) \\
#  &= -2(1 - 0.6656) \\
#  &= -0.6688
#  \end{aligned}$$
#
# We know $O_2 = \frac{1}{1 + e^{-O_{2i}}}$
#
# $$\begin{aligned}
#  \frac{\partial O_2}{\partial O_{2i}} &= O_2(1 - O_2) \\
#  &= 0.6656(1 - 0.6656) \\
#  &= 0.2225
#  \end{aligned}$$
#
# $$O_{2i} = w_7 h_{10} + w_8 h_{20} + b_2$$
#
# $$\frac{\partial O_{2i}}{\partial w_7} = 1 \times h_{10} + 0 + 0 = h_{10} = 0.6456$$
#
# $$\therefore \frac{\partial L}{\partial w_1} = -0.6688 \times 0.2225 \times 0.6456$$
#
# $$\underline{\underline{=-0.0961}}$$
#
# now let's find $\frac{\partial L}{\partial w_3}$
#
# $$\frac{\partial L}{\partial w_3} = \frac{\partial L}{\partial h_{20}} \times \frac{\partial h_{20}}{\partial h_{2i}} * \frac{\partial h_{2i}}{\partial w_3}$$
#
# $$\frac{\partial L}{\partial h_{20}} = \frac{\partial (o_1 - \hat{o}_1)^2}{\partial h_{20}} + \frac{\partial (o_2 - \hat{o}_2)^2}{\partial h_{20}}$$
#
# $$\frac{\partial (o_1 - \hat{o}_1)^2}{\partial h_{20}} = \frac{\partial (o_1 - \hat{o}_1)^2}{\partial o_1} \cdot \frac{\partial o_1}{\partial o_{1i}} \cdot \frac{\partial o_{1i}}{\partial h_{20}}$$
#
# $$= -2(O_1 - \hat{O}_1) \times O_1(1 - O_1) \times W_6$$
#
# $$= -2(0 - 0.6001) \times (0.24) \times 0.1$$
#
# $$= \cancel{0.0288} = 0.0288 \quad \text{--- (1)}$$
#
# $$\frac{\partial (O_2 - \hat{O}_2)}{\partial h_{20}} = \frac{\partial (O_2 - \hat{O}_2)}{\partial O_2} \frac{\partial O_2}{\partial O_{2i}} \frac{\partial O_{2i}}{\partial h_{20}}$$
#
# $$= -0.6688 \times 0.2225 \times W_8$$
#
# $$= -0.6688 \times 0.2225 \times 0.3$$
#
# $$= -0.0446 \quad \text{--- (2)}$$
#
# $$\frac{\partial L}{\partial h_{20}} = 1 + 2 = -0.0158$$
#
# $$\therefore \frac{\partial L}{\partial w_3} = \frac{\partial L}{\partial h_{20}} \times \frac{\partial h_{20}}{\partial h_{2i}} \times \frac{\partial h_{2i}}{\partial w_3}$$
#
# $$= -0.0158 \times h_{20}(1-h_{20}) \times x_1$$
#
# $$= -0.0158 \times 0.1779 \times 1$$
#
# $$= -2.81 \times 10^{-3}$$
#
# $$= \underline{0.00281}$$


# %% [markdown]
# ## What comes next
#
# | notebook | what you do |
# |---|---|
# | 01-forward-pass | question 1, by hand, unit by unit and as matrices |
# | 02-loss | the loss, its slope, and the sign typed in this solution's loss |
# | 03-output-layer-gradient | $\partial L/\partial w_7$, then the other output-layer gradients yourself |
# | 04-hidden-layer-gradient | $\partial L/\partial w_3$ through two paths, then $\partial L/\partial h_{1o}$ and $\partial L/\partial b_1$ yourself; checking a hand calculation |
# | 05-training-loop | gradient descent, the learning rate, and a network you write trained on real data |
