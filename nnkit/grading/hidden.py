"""Read the hidden tests' `verify` calls from the instructor's notebook, without running them.

    read_checks(source_text) -> [Check(task, target, call, arrays, inputs)]

The trusted grader never takes a hidden test from the student's copy, and never runs the
instructor's test code either: it reads it. The HIDDEN TESTS block of a test cell (the whole cell
if it has none) may hold imports, assignments of literals (`P_A = {...}`, `case = dict(...)`),
`for` loops over literal lists, and `verify("task", answer, **inputs)` calls whose inputs are
literals or names bound to literals. Anything else is an instructor error, named with its line.

`target` is the answer expression's source (`neuron`, `answers`); `call` says it must be called
with the inputs: True for the older form `verify("neuron", neuron(**fresh(case)), **case)`,
None ("if callable") for `verify("neuron", neuron, **case)`, where the function gets the inputs
it takes (`verify("gradient", dL_dw7, name="w7", **case)`: `name` is the task's).
"""
import ast
import operator
from dataclasses import dataclass

from .tasks import ARRAY_INPUTS, JUDGES, TASKS

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
              ast.UAdd: operator.pos}


class HiddenTestError(ValueError):
    """A hidden test the grader cannot read (not literal inputs, unknown task, ...)."""


@dataclass(frozen=True)
class Check:
    task: str
    target: str
    call: object          # True: call it; None: call it if callable
    arrays: bool
    inputs: dict          # what the reference is computed from
    args: dict            # what the student's function is called with (a subset of inputs)


def hidden_block(text):
    """The HIDDEN TESTS regions of a test cell's source, one after the other (nbgrader allows
    several in a cell); the whole source if there is none."""
    if BEGIN not in text:
        return text
    return "\n".join(region.split(END, 1)[0] for region in text.split(BEGIN)[1:])


def _literal(node, names):
    """The value of a literal expression (constants, containers, dict(...), arithmetic, names)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool, type(None))):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(item, names) for item in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k, names): _literal(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        return _keywords(node.keywords, names)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_literal(node.operand, names))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_literal(node.left, names), _literal(node.right, names))
    raise HiddenTestError(f"line {node.lineno}: {ast.unparse(node)!r} is not a literal")


def _keywords(keywords, names):
    values = {}
    for keyword in keywords:
        if keyword.arg is None:
            spread = _literal(keyword.value, names)
            if not isinstance(spread, dict):
                raise HiddenTestError(f"line {keyword.lineno}: **{ast.unparse(keyword.value)} is not a dict")
            values.update(spread)
        else:
            values[keyword.arg] = _literal(keyword.value, names)
    return values


def _is_fresh(node):
    return isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) and \
        (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "fresh"


def _check(node, names):
    if len(node.args) != 2 or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
        raise HiddenTestError(f"line {node.lineno}: expected verify(\"<task>\", <answer>, **inputs), "
                              f"got {ast.unparse(node)!r}")
    task, answer = node.args[0].value, node.args[1]
    if task not in TASKS and task not in JUDGES:
        known = ", ".join(sorted({*TASKS, *JUDGES}))
        raise HiddenTestError(f"line {node.lineno}: unknown task {task!r}; known tasks: {known}")
    inputs = _keywords(node.keywords, names)
    arrays, call, args = task in ARRAY_INPUTS, None, inputs
    if isinstance(answer, ast.Call) and len(answer.keywords) == 1 and answer.keywords[0].arg is None \
            and _is_fresh(answer.keywords[0].value) and not answer.args:
        spread = answer.keywords[0].value
        arrays = any(k.arg == "arrays" and _literal(k.value, names) for k in spread.keywords)
        args = _literal(spread.args[0], names)
        if not isinstance(args, dict) or any(inputs.get(k, not v) != v for k, v in args.items()):
            raise HiddenTestError(f"line {node.lineno}: the answer is called with inputs verify does not get")
        answer, call = answer.func, True
    return Check(task, ast.unparse(answer), call, arrays, inputs, args)


def _statements(body, names, found):
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            value = _literal(node.value, names)
            names.update({target.id: value for target in node.targets})
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and not node.orelse:
            for value in _literal(node.iter, names):
                _statements(node.body, {**names, node.target.id: value}, found)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Name) and node.value.func.id == "verify":
            found.append(_check(node.value, names))
        else:
            raise HiddenTestError(f"line {node.lineno}: {ast.unparse(node).splitlines()[0]!r} is not an import, "
                                  "a literal assignment, a for loop over literals or a verify(...) call")


def read_checks(text):
    """[Check] of the verify calls in a test cell's hidden block, in the order they run."""
    try:
        tree = ast.parse(hidden_block(text))
    except SyntaxError as error:
        raise HiddenTestError(f"the hidden tests do not parse: {error}") from None
    found = []
    _statements(tree.body, {}, found)
    return found
