"""python -m benchmarks [--quick]: the core against the plain numpy reference, and what users feel.

1. Builds every implementation of every task from the same weights and data, and checks that
   they compute the same loss and gradients (relative difference < 1e-9 in float64); stops
   with exit status 1 if any disagree, before timing anything.
2. Times one SGD step of each (target: nnkit within 1.5x of the numpy reference; torch and
   micrograd for information); times the step's matrix products alone (the matmul floor);
   measures the peak memory of a T3 step and nnkit.fit on the digits (information).
3. Full runs also measure what users feel, each against its target: every notebook executed
   once, the playgrounds' latency (benchmarks/playground.py), grading seconds per submission
   (benchmarks/grading.py).
4. Prints the table and writes benchmarks/results/latest.json and latest.md (a full run also
   puts the table into docs/performance.md).

--quick (< 1 minute, the CI smoke test): fewer samples, one thread, no micrograd on T2, none of
step 3; writes quick.json and quick.md instead.
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

import nnkit

from . import report, tasks, timing

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
DOC_START = "<!-- latest full run: written here by `python -m benchmarks` -->"
DOC_END = "<!-- end of the latest full run -->"
TOLERANCE = {"float64": 1e-9, "float32": 1e-4}


def rel_difference(a, b):
    """max |a − b| / max |b|, over a whole array (or of two floats)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def check_agreement(task, impls):
    """The worst relative difference of any implementation's loss or gradient from the first's."""
    loss0, grads0 = impls[0].loss_and_grads()
    worst = 0.0
    for impl in impls[1:]:
        loss, grads = impl.loss_and_grads()
        diffs = {"loss": rel_difference(loss, loss0)}
        diffs.update({k: rel_difference(grads[k], grads0[k]) for k in grads0})
        name, diff = max(diffs.items(), key=lambda kv: kv[1])
        if not diff < TOLERANCE[task.dtype]:
            sys.exit(f"DISAGREEMENT on {task.key}: {impl.name} differs from {impls[0].name} in {name} "
                     f"by {diff:.3g} (relative; allowed {TOLERANCE[task.dtype]:g}). Nothing was timed.")
        worst = max(worst, diff)
    return worst


def machine_info(available):
    blas = next((i for i in threadpool_info() if i["user_api"] == "blas"), {})
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas_threads": blas.get("num_threads"),
            "blas": f"{blas.get('internal_api')} {blas.get('version')} {blas.get('architecture')}",
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}}
    if "torch" in available:
        import torch
        torch.set_num_threads(blas.get("num_threads") or 1)
        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
    if "micrograd" in available:
        from importlib.metadata import version
        info["micrograd"] = version("micrograd")
    return info


def run_task(task, available, quick):
    """Check agreement, then time every implementation; returns the task's result row."""
    if task.name == "T1":
        impls = tasks.homework_impls(available)
    else:
        impls = tasks.network_impls(task, available, micrograd_ok=not quick)
    worst = check_agreement(task, impls)
    row = {"task": task.key, "title": task.title, "agreement": worst}
    steps = {impl.name: impl.step for impl in impls}
    shapes = tasks.matmul_shapes(task)
    steps["matmul floor"] = timing.matmul_products(shapes, task.dtype)
    # Many short samples: on a shared machine the min of many is the best estimate of the
    # undisturbed time (and the median shows how disturbed it was).
    times = timing.time_steps(steps, repeats=3 if quick else 25, min_sample=0.01 if quick else 0.02,
                              budget=2 if quick else 20, warmup=1 if quick else 2)
    floor = times.pop("matmul floor")
    row["impls"] = times
    row.update(matmul_count=len(shapes), matmul_floor=floor["min"],
               matmul_fraction=floor["min"] / times[impls[0].name]["min"],
               matmul_fraction_cpu=floor["cpu_min"] / times[impls[0].name]["cpu_min"])
    return row


def memory_t3():
    """Peak traced bytes of a T3 float64 step, nnkit and the numpy reference, in MB."""
    task = next(t for t in tasks.TASKS if t.name == "T3" and t.dtype == "float64")
    X, Y = tasks.data(task)
    params = tasks.nnkit_model(task).params
    params_mb = sum(p.nbytes for p in params.values()) / 1e6
    activations_mb = X.shape[0] * sum(task.sizes[1:]) * X.itemsize / 1e6
    needed = activations_mb + 2 * params_mb

    def nnkit_step():
        model = tasks.nnkit_model(task)
        return lambda: tasks._mlp_step(model, X, Y)

    def reference_step():
        from . import reference
        net = reference.Network(params, task.hidden, task.loss)
        return lambda: net.step(X, Y, tasks.LR)
    nnkit_mb = timing.peak_traced_bytes(nnkit_step) / 1e6
    reference_mb = timing.peak_traced_bytes(reference_step) / 1e6
    return {"params_mb": params_mb, "activations_mb": activations_mb, "needed_mb": needed,
            "nnkit_mb": nnkit_mb, "nnkit_ratio": nnkit_mb / needed,
            "reference_mb": reference_mb, "reference_ratio": reference_mb / needed}


def elementwise_costs(available, quick):
    """Per-element cost of tanh next to one (4096, 256) @ (256, 256) product, float64: the
    numbers that explain T2 and T3 (numpy's float64 tanh is a scalar loop on many CPUs)."""
    rng = np.random.default_rng(0)
    Z, W = rng.normal(size=(4096, 256)), rng.normal(size=(256, 256))
    out = np.empty_like(Z)
    steps = {"np.tanh": lambda: np.tanh(Z, out=out), "product": lambda: np.matmul(Z, W, out=out)}
    if "torch" in available:
        import torch
        tz, tout = torch.from_numpy(Z), torch.from_numpy(out)
        steps["torch.tanh"] = lambda: torch.tanh(tz, out=tout)
    times = timing.time_steps(steps, repeats=3 if quick else 7, min_sample=0.01 if quick else 0.05)
    extras = {f"{name} float64, per element of (4096, 256)": f"{t['min'] / Z.size * 1e9:.2f} ns"
              for name, t in times.items() if name != "product"}
    extras["(4096, 256) @ (256, 256) float64 product"] = f"{times['product']['min'] * 1e3:.2f} ms"
    return extras


def fit_digits(quick):
    """nnkit.fit epochs per second on the 8x8 digits (64-32-10 relu, batch 32, momentum 0.9)."""
    X, Y, _, _ = nnkit.datasets.digits()
    model = nnkit.MLP([64, 32, 10], hidden="relu", output="softmax", loss="softmax_ce", seed=0)
    epochs = 3 if quick else 30
    start = time.perf_counter()
    nnkit.fit(model, X, Y, lr=0.1, epochs=epochs, batch_size=32, momentum=0.9, progress=False)
    return epochs / (time.perf_counter() - start)


def run_notebooks():
    """Seconds to execute every notebook once, in a fresh kernel each; the files are not changed."""
    import nbformat
    from nbclient import NotebookClient
    times = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        times[path.name] = time.perf_counter() - start
    return times


def playground_rows(results, targets):
    """Rows of the user-facing table from playground.main()'s {measurement: {median_ms, p90_ms, ...}}:
    the median of each, and its p90 too where `targets` ({measurement: (median ms, p90 ms or None)})
    sets one."""
    rows = []
    for what, values in results.items():
        median_target, p90_target = targets.get(what, (None, None))
        shown = ("median_ms", "p90_ms") if p90_target is not None else ("median_ms",)
        note = ", ".join(f"{k} {v}" for k, v in values.items() if k not in shown)
        rows.append({"what": f"playground: {what}, median", "value": values["median_ms"], "unit": "ms",
                     "target": median_target, "note": note})
        if p90_target is not None:
            rows.append({"what": f"playground: {what}, p90", "value": values["p90_ms"], "unit": "ms",
                         "target": p90_target, "note": ""})
    return rows


def user_facing():
    """The figures users feel, as rows {what, value, unit, target, note}; target None = information.
    benchmarks/playground.py and grading.py measure the playgrounds and grading:
    playground.main() returns {measurement: {median_ms, ...}} with its targets in TARGETS_MS,
    grading.main(n) returns seconds per autograded submission."""
    from . import grading, playground   # they start JupyterLab, chromium and nbgrader: full runs only
    rows = []
    if any(NOTEBOOKS.glob("*.ipynb")):
        times = run_notebooks()
        what = "all notebooks executed once"
        rows.append({"what": what, "value": sum(times.values()), "unit": "s",
                     "target": report.USER_TARGETS[what][0],
                     "note": ", ".join(f"{name.split('-')[0]}: {t:.1f} s" for name, t in times.items())})
    rows += playground_rows(playground.main(), playground.TARGETS_MS)
    n = 10   # submissions: enough for a figure, a minute or two here
    what = "nbgrader autograde, seconds per submission"
    rows.append({"what": what, "value": grading.main(n=n), "unit": "s",
                 "target": report.USER_TARGETS[what][0], "note": f"{n} submissions of notebook 01"})
    return rows


def update_performance_doc(text):
    """Put a full run's table into docs/performance.md, between its two marker comments."""
    doc = PERFORMANCE_DOC.read_text()
    if DOC_START in doc and DOC_END in doc:
        before, rest = doc.split(DOC_START, 1)
        after = rest.split(DOC_END, 1)[1]
        PERFORMANCE_DOC.write_text(f"{before}{DOC_START}\n{text}{DOC_END}{after}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the < 1 minute smoke run")
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder for the .json/.md results")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS (and torch) threads; default: numpy's BLAS default, 1 with --quick")
    args = parser.parse_args(argv)
    threads = args.threads or (1 if args.quick else None)
    if threads:
        # A multithreaded BLAS on a busy 2-core machine can slow down tenfold while the
        # threads wait for each other; one thread gives steadier numbers for the smoke run.
        threadpool_limits(threads, user_api="blas")

    available = {m for m in ("torch", "micrograd") if importlib.util.find_spec(m)}
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "mode": "quick" if args.quick else "full", "machine": machine_info(available),
               "tasks": [], "extras": {}}
    for task in tasks.TASKS:
        start = time.perf_counter()
        results["tasks"].append(run_task(task, available, args.quick))
        print(f"{task.key}: {task.title}: checked and timed in {time.perf_counter() - start:.1f} s",
              flush=True)
    results["memory"] = memory_t3()
    results["extras"].update(elementwise_costs(available, args.quick))
    results["extras"]["nnkit.fit epochs/s, digits 64-32-10 relu, batch 32"] = f"{fit_digits(args.quick):.1f}"
    if not args.quick:   # they take minutes: full runs only
        results["user_facing"] = user_facing()

    results["machine"]["load_average_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report.markdown(results)
    print(text)
    args.output.mkdir(parents=True, exist_ok=True)
    name = "quick" if args.quick else "latest"   # a smoke run never replaces the last full run
    (args.output / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (args.output / f"{name}.md").write_text(f"# Benchmark results\n\n{text}")
    if not args.quick and args.output == RESULTS and PERFORMANCE_DOC.exists():
        update_performance_doc(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
