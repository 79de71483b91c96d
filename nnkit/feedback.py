"""Instant feedback for the notebooks' exercises: say exactly what is wrong, in one short message.

A visible test cell calls `check_value` / `check_function` and ends with `passed()`:

    check_function(neuron, [((x, w, b), expected)], name="neuron", hint="σ(w·x + b)")
    passed()                                   # prints "✓ All tests passed."

A wrong answer raises `WrongAnswer` (which value, expected vs got, a hint); an exercise still
holding `raise NotImplementedError()` raises `NotDoneYet`; an error raised inside the student's
function raises `CodeError` (which call, the arguments' shapes, what was raised, and where in
the student's cell). `slips` names the typical mistakes of one exercise: each is a message and a
function computing what that mistake would return, so the hint says which slip it was:

    check_function(dL_dw6, cases, slips=[("w8's chain: O2 instead of O1", wrong_w6)])

Importing this module inside IPython registers a handler that shows these errors (and a check
run before its exercise, a NameError) as that one message instead of a long traceback. They are
still errors (the cell fails), so nbgrader scores the cell 0.

These checks are for the student's benefit and run in the student's kernel, so a student can
replace them; grading never relies on them (see `nnkit.grading`).
"""
import math
import numbers

import numpy as np

from .notation import number


class ExerciseError(AssertionError):
    """An exercise's answer is missing or wrong. An AssertionError, as test failures are."""


class NotDoneYet(ExerciseError):
    """The exercise still raises NotImplementedError."""


class WrongAnswer(ExerciseError):
    """The exercise returns a value that differs from the expected one."""


class CodeError(ExerciseError):
    """The student's function raised an error when a check called it."""


NOT_DONE_MESSAGE = "replace `raise NotImplementedError()` with your code in the cell above, then run that cell again"


def _fmt(value, short=False):
    """A readable rendering of a number, a sequence or a dict of them (`short`: long dicts cut)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return number(value, minus="-")   # ASCII minus: a student may paste it into code
    if isinstance(value, dict):
        items = [f"{k!r}: {_fmt(v)}" for k, v in value.items()]
        if short and len(items) > 4:
            items = items[:3] + [f"… ({len(items)} entries)"]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ")
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    return repr(value)


def _diagnose(got, expected):
    """A guess at a common slip when a single number is off, or None."""
    if not math.isfinite(got) or expected == 0:
        return None
    if math.isclose(got, -expected, rel_tol=1e-6):
        return "the sign is flipped: check the order of a subtraction such as (O − Ô)"
    for factor, why in ((2.0, "twice the expected value: a term counted twice, or a factor 2 where none belongs?"),
                        (0.5, "half the expected value: a factor ½ (the ½ convention) or a dropped factor 2?")):
        if math.isclose(got, factor * expected, rel_tol=1e-6):
            return why
    if abs(got - expected) < 5e-4 * max(1.0, abs(expected)):
        return "close but not equal: did you round an intermediate value? Keep full precision"
    return None


def _ragged(values):
    """True if `values` cannot be one array of numbers (its entries have different shapes)."""
    try:
        np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return True
    return False


def _mismatch(got, expected, rtol, atol, path=""):
    """Where `got` differs from `expected`: None if they agree, else (path, got, expected, why)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return path, got, expected, f"expected a dict with keys {sorted(expected)}, got {type(got).__name__}"
        missing = [k for k in expected if k not in got]
        if missing:
            return path, got, expected, f"the dict is missing the key(s) {', '.join(map(repr, missing))}"
        for key in expected:
            found = _mismatch(got[key], expected[key], rtol, atol, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, (list, tuple)) and _ragged(expected):     # e.g. (dX, dW, db)
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return path, got, expected, f"expected {len(expected)} results (a tuple), got {_fmt(got, short=True)}"
        for index, (g, e) in enumerate(zip(got, expected)):
            found = _mismatch(g, e, rtol, atol, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(expected, (list, tuple, np.ndarray)):
        expected = np.asarray(expected, dtype=float)
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return path, got, expected, f"expected numbers of shape {expected.shape}, got {type(got).__name__}"
        if got_array.shape != expected.shape:
            return path, got, expected, f"expected shape {expected.shape}, got shape {got_array.shape}"
        for index in np.ndindex(expected.shape):
            found = _mismatch(float(got_array[index]), float(expected[index]), rtol, atol,
                              f"{path}[{', '.join(map(str, index))}]")
            if found:
                return found
        return None
    if got is None:
        return path, got, expected, "your code returned None: did you forget `return`?"
    if isinstance(got, bool) or not isinstance(got, (numbers.Real, np.ndarray)) or np.ndim(got) != 0:
        return path, got, expected, f"expected a single number, got {type(got).__name__} {_fmt(got)}"
    got = float(got)
    if math.isclose(got, expected, rel_tol=rtol, abs_tol=atol):
        return None
    return path, got, expected, _diagnose(got, expected)


def _require(label, got, expected, hint, rtol, atol, diagnose=True):
    """Raise WrongAnswer naming `label` (and the part of it) that differs from `expected`."""
    found = _mismatch(got, expected, rtol, atol)
    if found is None:
        return
    path, got_part, expected_part, why = found
    why = why if diagnose else None
    lines = [f"{label}{path} is not right.", f"  expected: {_fmt(expected_part)}", f"  got:      {_fmt(got_part)}"]
    lines += [f"  {text}" for text in (why, hint) if text]
    raise WrongAnswer("\n".join(lines))


def check_value(name, got, expected, hint=None, rtol=1e-6, atol=1e-9):
    """Raise WrongAnswer unless `got` equals `expected` (numbers, sequences, arrays, dicts).

    name: what the value is, as the student knows it (e.g. "h1_out").
    hint: a sentence to show when the value is wrong.
    """
    _require(name, got, expected, hint, rtol, atol)
    print(f"✓ {name} is correct")


def _shape(value):
    """How an argument looks in an error line: an array's shape, a sequence's length, a number."""
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, dict):
        return f"dict({len(value)} keys)"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}(len {len(value)})"
    return _fmt(value)


def _where(error):
    """'line N: <code>' of the innermost frame of the student's own cell in the traceback, or ''."""
    import linecache
    import traceback
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__
              and "site-packages" not in f.filename and "/nnkit/" not in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return f" at `{line}`" if line else ""


def call(func, args, name=None):
    """func(*args) (or func(**args) for a dict): NotImplementedError becomes NotDoneYet, any other
    error CodeError, one line naming the call, the arguments' shapes and what was raised."""
    name = name or getattr(func, "__name__", "your function")
    try:
        return func(**args) if isinstance(args, dict) else func(*args)
    except NotImplementedError:
        raise NotDoneYet(f"`{name}` is not done yet: {NOT_DONE_MESSAGE}.") from None
    except ExerciseError:
        raise
    except Exception as error:
        shapes = (", ".join(f"{k}={_shape(v)}" for k, v in args.items()) if isinstance(args, dict)
                  else ", ".join(_shape(a) for a in args))
        raise CodeError(f"`{name}({shapes})` raised {type(error).__name__}{_where(error)}: {error}") from None


def _slip(got, args, slips, rtol, atol):
    """The message of the first slip whose result `got` equals, or None."""
    for message, wrong in slips:
        try:
            result = wrong(**args) if isinstance(args, dict) else wrong(*args)
        except Exception:           # a slip that does not apply to these arguments
            continue
        if _mismatch(got, result, rtol, atol) is None:
            return message
    return None


def check_function(func, cases, name=None, hint=None, rtol=1e-6, atol=1e-9, slips=()):
    """Call `func` on each case and compare: cases is a list of (args, expected) pairs, args a
    tuple of positional arguments or a dict of keyword arguments. slips: (message, function)
    pairs; a wrong answer equal to function(*args) is told that message instead of the hint."""
    name = name or getattr(func, "__name__", "your function")
    for args, expected in cases:
        got = call(func, args, name)
        shown = (", ".join(f"{k}={_fmt(v, short=True)}" for k, v in args.items()) if isinstance(args, dict)
                 else ", ".join(_fmt(a, short=True) for a in args))
        if _mismatch(got, expected, rtol, atol) is not None:
            slip = _slip(got, args, slips, rtol, atol)
            if slip is not None:
                _require(f"{name}({shown})", got, expected, f"It looks like {slip}.", rtol, atol, diagnose=False)
        _require(f"{name}({shown})", got, expected, hint, rtol, atol)
    print(f"✓ {name}: {len(cases)} case{'s' if len(cases) != 1 else ''} correct")


def passed(message="All tests passed."):
    """Print the line that ends a visible test cell whose checks all passed."""
    print(f"✓ {message}")


def _friendly(shell, etype, value, tb, tb_offset=None):
    """IPython handler: show an exercise error (or a NotImplementedError) as one short message."""
    if issubclass(etype, NotImplementedError):    # an exercise called directly, not by a check
        text = ("Not done yet: this cell uses an exercise that still raises NotImplementedError; "
                "replace `raise NotImplementedError()` with your code in that exercise's cell and run it.")
    elif issubclass(etype, NameError):           # most often: a check run before its exercise cell
        text = f"{value}: run the exercise cell above first (if the name is your own, check its spelling)"
    elif issubclass(etype, (NotDoneYet, CodeError)):
        text = str(value)
    else:
        text = f"Not quite: {value}"
    stb = [f"\x1b[1;31m✗ {text}\x1b[0m"]
    shell._showtraceback(etype, value, stb)  # publishes the error output (the cell fails)
    return stb


def register(shell=None):
    """Show ExerciseError, NotImplementedError and NameError briefly in this IPython shell (if any)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((ExerciseError, NotImplementedError, NameError), _friendly)


register()
