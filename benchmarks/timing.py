"""Timing, the matmul floor and peak memory.

Times are per step, from `time.perf_counter`: a warm-up, then `repeats` samples of `number`
consecutive steps each (number chosen so a sample lasts at least `min_sample` seconds, as
timeit's autorange does); we report the min and the median over the samples.
"""
import statistics
import time
import tracemalloc

import numpy as np


def _sample(step, number):
    start = time.perf_counter()
    for _ in range(number):
        step()
    return time.perf_counter() - start


def time_step(step, repeats=7, min_sample=0.05, budget=10.0, warmup=2):
    """{"min", "median"} seconds per call of step(); at least 3 samples, fewer than `repeats`
    when one sample is slow enough that `repeats` of them would exceed `budget` seconds."""
    for _ in range(warmup):
        step()
    number = 1
    while True:
        elapsed = _sample(step, number)
        if elapsed >= min_sample:
            break
        number *= 2 if elapsed == 0 else max(2, min(10, int(min_sample / elapsed) + 1))
    repeats = max(3, min(repeats, int(budget / elapsed)))
    samples = [_sample(step, number) / number for _ in range(repeats)]
    return {"min": min(samples), "median": statistics.median(samples), "repeats": repeats, "number": number}


def matmul_floor(shapes, dtype, repeats=7, min_sample=0.05):
    """Time the matrix products alone, in the layouts a step uses (Aᵀ as a transposed view),
    into preallocated outputs. shapes: [(what, m, k, n)] -> the time of all of them together."""
    rng = np.random.default_rng(0)
    products = []
    for what, m, k, n in shapes:
        if "ᵀ @" in what:      # dW = Aᵀ dZ: A is (k, m) in memory
            left = rng.normal(size=(k, m)).astype(dtype).T
        else:
            left = rng.normal(size=(m, k)).astype(dtype)
        if what.endswith("ᵀ"):  # dA = dZ Wᵀ: W is (n, k) in memory
            right = rng.normal(size=(n, k)).astype(dtype).T
        else:
            right = rng.normal(size=(k, n)).astype(dtype)
        products.append((left, right, np.empty((m, n), dtype=dtype)))

    def all_products():
        for left, right, out in products:
            np.matmul(left, right, out=out)
    return time_step(all_products, repeats=repeats, min_sample=min_sample)


def peak_traced_bytes(make_and_step):
    """Peak bytes of Python/numpy allocations (tracemalloc) while `make_and_step()` builds its
    model and then runs steps: make_and_step() returns a step function; we run one step to
    warm up, reset the peak, and measure a second step. Everything allocated since the
    model was built counts (parameters, buffers, temporaries); the data passed in does not."""
    tracemalloc.start()
    try:
        step = make_and_step()
        step()
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
