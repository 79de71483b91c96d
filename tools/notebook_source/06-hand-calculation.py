# ruff: noqa: E402, E501

# %% [markdown]
# # 6 · The homework by hand, with your own numbers
#
# This is the homework of notebook 0 as a graded assignment: the same 2-2-2 sigmoid network,
# one bias per layer, $L = (O_1 - \hat{O}_1)^2 + (O_2 - \hat{O}_2)^2$, and one step of gradient
# descent — but with **your own numbers**. Every student of the course gets different weights,
# inputs and targets, derived from the course and your student id (on JupyterHub: your login).
#
# Work it out on paper (or with a calculator), step by step, and type each value into the
# table below, **rounded to four decimals**. No code is needed and none is allowed: nnkit's
# functions would do the work for you, so the exercise may use none of them.
#
# **How it is graded.** One point for each value of the table, with *error carried forward*:
# a value that is wrong only because an earlier value of yours was wrong still earns its point
# (the method was right). Carried forward past a few earlier mistakes (how many is printed
# below), and never from a trivial value: writing $h_{1o} = 0$ to make the later products easy
# earns nothing for them. A truncated last digit is a habit, not a mistake (still, round).
#
# **Names.** The table uses the kit's names: `h1_in` is $h_{1i}$, `h1_out` is $h_{1o}$,
# `o1_out` is $O_1$, `dL_do1_out` is $\partial L/\partial O_1$, `do1_out_do1_in` is
# $\partial O_1/\partial O_{1i}$, `dL_dh1_out_via_o1` is the path of $\partial L/\partial h_{1o}$
# through $O_1$, and `w5_new` is $w_5^+ = w_5 - \eta\,\partial L/\partial w_5$.

# %%
from IPython.display import Markdown

import nnkit.check
import nnkit.solution
import nnkit.variant

COURSE = "nnkit"
STUDENT = nnkit.variant.student_id()
spec = nnkit.variant.variant(COURSE, STUDENT)
Markdown(f"**Your numbers** (student `{STUDENT}`):\n\n" + nnkit.solution.describe(spec)
         + f"\n\n{len(nnkit.variant.asked(spec))} values to find, one point each; error carried forward "
           f"past at most {nnkit.variant.MAX_CARRIED} earlier mistakes.")

# %% [markdown]
# If the student shown above is `placeholder`, you are not on the course's JupyterHub: these are
# the example student's numbers, good for practice; your graded numbers are those of your hub
# login (or set the environment variable `NNKIT_STUDENT` to your student id and restart).
#
# ### Exercise — the whole calculation (one point per value)
#
# Replace each `None` by your value, e.g. `"h1_in": 0.6,`. Give the values in the order of the
# table; the check below the table tells you after each one whether it is right, consistent
# with your earlier values, or which slip it looks like. It does not show the exact values:
# this is graded work, and they come with the worked solution after grading.

# %% nbgrader={"grade_id": "nb06-hand-calculation", "solution": true}
answers = {
    # forward pass
    "h1_in": None, "h2_in": None, "h1_out": None, "h2_out": None,
    "o1_in": None, "o2_in": None, "o1_out": None, "o2_out": None, "L": None,
    # output layer
    "dL_do1_out": None, "dL_do2_out": None, "do1_out_do1_in": None, "do2_out_do2_in": None,
    "dL_dw5": None, "dL_dw6": None, "dL_dw7": None, "dL_dw8": None, "dL_db2": None,
    "w5_new": None, "w6_new": None, "w7_new": None, "w8_new": None, "b2_new": None,
    # hidden layer
    "dL_dh1_out_via_o1": None, "dL_dh1_out_via_o2": None, "dL_dh1_out": None,
    "dL_dh2_out_via_o1": None, "dL_dh2_out_via_o2": None, "dL_dh2_out": None,
    "dh1_out_dh1_in": None, "dh2_out_dh2_in": None,
    "dL_dw1": None, "dL_dw2": None, "dL_dw3": None, "dL_dw4": None, "dL_db1": None,
    "w1_new": None, "w2_new": None, "w3_new": None, "w4_new": None, "b1_new": None,
}
### BEGIN SOLUTION
# The instructor's answers: the exact values, rounded as a student writes them.
exact = spec.values()
answers = {name: round(exact[name], 4) for name in answers}
### END SOLUTION

# %% nbgrader={"grade_id": "nb06-hand-calculation-tests", "points": 41}
written = {name: value for name, value in answers.items() if value is not None}
nnkit.check.check(written, spec, reveal=False) if written else Markdown("Type your first value into the table above.")
### BEGIN HIDDEN TESTS
from nnkit.grading import verify
verify("hand_calculation", {name: value for name, value in answers.items() if value is not None},
       student="placeholder", course_id="nnkit")
### END HIDDEN TESTS

# %% [markdown]
# After grading, your feedback shows this same report for your submission, step by step.
# The worked solution of your numbers, every step with its formula, is what your instructor
# hands out afterwards (`python -m nnkit.course variant <student> --html-dir keys/`).
