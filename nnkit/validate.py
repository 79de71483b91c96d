"""Checks on what users pass in, with messages that say what was wrong and what was expected.

Every public function of nnkit validates its arguments here, so a student who passes a
3-vector or a NaN sees one clear sentence instead of a numpy traceback from deep inside.

One rule for numbers everywhere: a number is an int or a float (Python's, numpy's, or another
numbers.Real such as Fraction). Strings and booleans are not numbers, even where Python or numpy
would convert them: "0.1", ("1", "2") and (True, 2) are rejected alike, and so are arrays of
strings or booleans. Each check costs a few comparisons; its message is written only on failure.
"""
import math
from numbers import Real

import numpy as np

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _is_number(value):
    """True for a real number that is not a bool (bool is a subclass of int in Python)."""
    return not isinstance(value, bool) and (isinstance(value, _NUMBER_TYPES) or isinstance(value, Real))


def _is_finite_number(value):
    """True for a real number that is not a bool and not infinite or NaN (the check of every number passed in)."""
    try:
        return (not isinstance(value, bool) and (isinstance(value, _NUMBER_TYPES) or isinstance(value, Real))
                and math.isfinite(value))
    except OverflowError:    # an int too large for a float: not finite either
        return False


def finite_number(name, value):
    """Return `value` as a float; raise if it is not a real, finite number."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not _is_finite_number(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def number_dict(name, mapping, keys):
    """Return {key: float} for exactly these `keys` of `mapping`; raise unless each value is a finite real number.

    The message names the entry, e.g. "params['w1'] must be a real number, got str '0.1'".
    """
    exact_keys(name, mapping, keys)
    values = [mapping[key] for key in keys]
    if all(map(_is_finite_number, values)):
        return dict(zip(keys, map(float, values)))
    for key in keys:    # only on failure: find the first bad entry, and say which it is
        finite_number(f"{name}[{key!r}]", mapping[key])


def positive_number(name, value):
    """Return `value` as a float; raise unless it is finite and > 0."""
    value = finite_number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def positive_int(name, value, allow_none=False):
    """Return `value` as an int >= 1 (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number >= 1, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def finite_array(name, value, ndim=None, dtype=float):
    """Return `value` as a numpy array of `dtype`; raise unless it holds finite real numbers
    (with `ndim` dimensions, if given)."""
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iufO":   # b: booleans, U/S: strings, c: complex numbers
            raise TypeError(f"it holds {array.dtype} values")
        array = array.astype(dtype, copy=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers, got {type(value).__name__}: {error}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" at index {tuple(int(i) for i in bad)}" if array.ndim else ""
        raise ValueError(f"{name} must be finite, found {array[tuple(bad)]}{where}")
    return array


def vector(name, value, length):
    """Return `value` (a tuple, list or 1-d array of `length` real numbers) as a tuple of floats."""
    items = value.tolist() if isinstance(value, np.ndarray) and value.ndim == 1 else value
    if isinstance(items, (tuple, list)) and len(items) == length and all(map(_is_finite_number, items)):
        return tuple(map(float, items))
    raise _vector_error(name, value, length)


def _vector_error(name, value, length):
    """The error that says why `value` is not a vector of `length` finite real numbers."""
    if not isinstance(value, (tuple, list, np.ndarray)):
        return TypeError(f"{name} must be a list or tuple of {length} numbers, got {type(value).__name__} {value!r}")
    try:
        shape = np.shape(value)
    except ValueError:   # a ragged nesting of lists
        shape = "ragged"
    if shape != (length,):
        return ValueError(f"{name} must have {length} values, got shape {shape}: {value!r}")
    for i, item in enumerate(value):
        if not _is_number(item):
            return TypeError(f"{name} must hold real numbers, got {type(item).__name__} {item!r} at index {i}")
    i = next(i for i, item in enumerate(value) if not _is_finite_number(item))
    return ValueError(f"{name} must be finite, found {value[i]} at index {i}")


def choice(name, value, options):
    """Raise unless `value` is one of `options` (listing them)."""
    options = tuple(options)
    if value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"unknown {name} {value!r}; valid choices are {valid}")
    return value


class KeyNameError(KeyError):
    """A KeyError whose message prints as written (KeyError would quote it)."""

    def __str__(self):
        return str(self.args[0])


def exact_keys(name, mapping, expected):
    """Raise KeyError unless `mapping` has exactly the keys in `expected`."""
    if not hasattr(mapping, "keys"):
        raise TypeError(f"{name} must be a dict, got {type(mapping).__name__}")
    if set(mapping) == set(expected):
        return
    missing = [k for k in expected if k not in mapping]
    unknown = [k for k in mapping if k not in expected]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(map(str, missing))}")
    if unknown:
        parts.append(f"unknown {', '.join(map(str, unknown))}")
    raise KeyNameError(f"{name}: {'; '.join(parts)} (expected exactly {', '.join(expected)})")
