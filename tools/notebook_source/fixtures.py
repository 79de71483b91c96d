"""Inputs that several notebook cells use, written once.

A cell of a notebook source that says `from fixtures import PARAMS_A` gets, at build time, the line
`PARAMS_A = {...}` with the literal value below (tools/build_notebooks.py). So every notebook holds
plain literals (hidden tests must: the trusted grader reads them from the instructor's notebook)
while the values are typed in one place only.

VISIBLE_* are for the checks a student sees; HIDDEN_* only for hidden tests, so an answer that
memorises the visible cases gains nothing. None of them is the homework's (0.1, 0.2, … 0.4).
"""

# Parameters of the 2-2-2 network for visible checks: every weight different, some negative.
VISIBLE_PARAMS = {"w1": 0.45, "w2": -0.35, "w3": -0.6, "w4": 0.7, "w5": -0.8, "w6": 0.55,
                  "w7": 0.9, "w8": -0.25, "b1": 0.3, "b2": -0.15}

# Parameters for hidden tests.
HIDDEN_PARAMS_A = {"w1": -0.5, "w2": 0.8, "w3": 0.25, "w4": -0.3, "w5": 1.1, "w6": -0.9,
                   "w7": 0.6, "w8": 0.05, "b1": -0.2, "b2": 0.35}
HIDDEN_PARAMS_B = {"w1": 0.7, "w2": -0.4, "w3": 0.15, "w4": 0.9, "w5": -0.3, "w6": 0.45,
                   "w7": -1.2, "w8": 0.8, "b1": 0.25, "b2": -0.1}
