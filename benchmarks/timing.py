"""Timing, the matmul floor and peak memory.

Times are per step, from `time.perf_counter`: a warm-up, then `repeats` samples of `number`
consecutive steps each (number chosen so a sample lasts at least `min_sample` seconds, as
timeit's autorange does), taken round-robin over the implementations; we report the min and
the median over the samples. Each sample also records the process's CPU time
(`time.process_time`): on a shared machine the wall time also counts the moments when other
processes held the CPU, the CPU time does not (with one thread, it is the step's own cost).
"""
import statistics
import time
import tracemalloc

import numpy as np


def _sample(step, number):
    """(wall seconds, CPU seconds) of `number` consecutive calls of step()."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(number):
        step()
    return time.perf_counter() - start, time.process_time() - start_cpu


def _calibrate(step, min_sample):
    """How many consecutive calls make a sample of at least `min_sample` seconds, and its time."""
    number = 1
    while True:
        elapsed = _sample(step, number)[0]
        if elapsed >= min_sample:
            return number, elapsed
        number *= 2 if elapsed == 0 else max(2, min(10, int(min_sample / elapsed) + 1))


def time_steps(steps, repeats=7, min_sample=0.05, budget=10.0, warmup=2):
    """{name: {"min", "median", "cpu_min", ...}} seconds per call of each step() in `steps`
    ({name: step}); min and median of wall time, cpu_min of CPU time.

    Samples are taken round-robin (one of each step, then the next round), so that a change in
    the machine's load while we measure affects every implementation alike. A step whose
    `repeats` samples would take more than `budget` seconds gets fewer samples (at least 3).
    """
    plan = {}
    for name, step in steps.items():
        for _ in range(warmup):
            step()
        number, elapsed = _calibrate(step, min_sample)
        plan[name] = (number, max(3, min(repeats, int(budget / elapsed))))
    wall, cpu = {name: [] for name in steps}, {name: [] for name in steps}
    for round_ in range(max(n for _, n in plan.values())):
        for name, step in steps.items():
            number, n_samples = plan[name]
            if round_ < n_samples:
                seconds, cpu_seconds = _sample(step, number)
                wall[name].append(seconds / number)
                cpu[name].append(cpu_seconds / number)
    return {name: {"min": min(wall[name]), "median": statistics.median(wall[name]),
                   "cpu_min": min(cpu[name]), "samples": len(wall[name]), "number": plan[name][0]}
            for name in steps}


def matmul_products(shapes, dtype):
    """A function that computes the step's matrix products alone, in the layouts a step uses
    (Aᵀ as a transposed view), into preallocated outputs. shapes: [(what, m, k, n)]."""
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
    return all_products


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
