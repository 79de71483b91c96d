"""Checks on what users pass in, with messages that say what was wrong and what was expected.

Every public function of nnkit validates its arguments here, so a student who passes a
3-vector or a NaN sees one clear sentence instead of a numpy traceback from deep inside.
"""
import math
from numbers import Real

import numpy as np


def finite_number(name, value):
    """Return `value` as a float; raise if it is not a real, finite number."""
    if type(value) is not float:   # a plain float needs no (slow) check against the Real ABC
        if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
        value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


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
    """Return `value` as a numpy array of `dtype`; raise on NaN/inf or a wrong number of dims."""
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}: {error}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" at index {tuple(int(i) for i in bad)}" if array.ndim else ""
        raise ValueError(f"{name} must be finite, found {array[tuple(bad)]}{where}")
    return array


def vector(name, value, length):
    """Return `value` as a tuple of `length` finite floats."""
    array = finite_array(name, value)
    if array.shape != (length,):
        raise ValueError(f"{name} must have {length} values, got shape {array.shape}: {value!r}")
    return tuple(float(v) for v in array)


def choice(name, value, options):
    """Raise unless `value` is one of `options` (listing them)."""
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
    missing = [k for k in expected if k not in mapping]
    unknown = [k for k in mapping if k not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(str, missing))}")
        if unknown:
            parts.append(f"unknown {', '.join(map(str, unknown))}")
        raise KeyNameError(f"{name}: {'; '.join(parts)} (expected exactly {', '.join(expected)})")
