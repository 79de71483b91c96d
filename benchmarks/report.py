"""The results as a table (printed and Markdown), and the targets of issue 15, met or missed.

Two kinds of target:
- the core against the plain numpy reference: nnkit's step within CORE_TARGET× of the reference's
  on every task (teaching code stays plain; this says what plainness costs). torch and micrograd
  are shown beside them for information, never as targets;
- what users feel: the notebooks' run time, the playgrounds' latency, grading seconds per
  submission (the figures of USER_TARGETS; the playground's own targets come with its results).
"""

CORE_TARGET = 1.5
# measurement: (target, unit, why this figure)
USER_TARGETS = {
    "all notebooks executed once": (
        60.0, "s", "a student's Run All stays under ~10 s per notebook, and nbval in CI under a minute"),
    "nbgrader autograde, seconds per submission": (
        5.0, "s", "a class of 100 submissions is graded in under 10 minutes on a 2-core machine"),
}


def _time(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def _ratio(r):
    return "—" if r is None else (f"{r:.3g}" if r >= 1e-3 else f"{r:.2e}")


def nnkit_impl(task):
    """The implementation held to the core target: the homework module on T1, MLP elsewhere."""
    return "nnkit.homework" if task == "T1" else "nnkit"


def core_targets(results, clock="min"):
    """[(target, measured, met)]: nnkit ÷ numpy reference per task, from the "min" (wall) or
    "cpu_min" times."""
    out = []
    for row in results["tasks"]:
        impls = row["impls"]
        name = nnkit_impl(row["task"])
        text = f"{row['task']} {name} within {CORE_TARGET}× of the numpy reference"
        if name in impls and "numpy reference" in impls:
            ratio = impls[name][clock] / impls["numpy reference"][clock]
            out.append((text, f"{ratio:.3g}×", ratio <= CORE_TARGET))
        else:
            out.append((text, "not measured", None))
    return out


def markdown(results):
    """The whole report as Markdown: machine, per-task table, core targets, matmul floors,
    memory, user-facing targets, other measurements."""
    m = results["machine"]
    lines = [f"Run: {results['date']} ({results['mode']} mode) · {m['cpu']} · {m['cores']} cores · "
             f"Python {m['python']} · numpy {m['numpy']} (BLAS: {m['blas']}) · "
             f"torch {m.get('torch', 'not installed')} · micrograd {m.get('micrograd', 'not installed')}",
             f"Threads: numpy's BLAS {m['blas_threads']}, torch {m.get('torch_threads', '—')} "
             f"(set equal). Load average (1, 5, 15 min) at the start {m['load_average']}, at the end "
             f"{m.get('load_average_end', '—')}, on {m['cores']} cores (a load above {m['cores']} means "
             f"other processes competed for the CPU).", "",
             "One step = forward + loss + backward + SGD update. Times per step: min and median wall "
             "time (`time.perf_counter`) over many samples, and the min CPU time of the process "
             "(`time.process_time`, which leaves out the moments other processes held the CPU). "
             "\"÷ reference\" is this implementation's time divided by the numpy reference's: "
             "above 1 is slower. torch and micrograd are information, not targets.", "",
             "| task | implementation | min | median | CPU min | ÷ reference (wall min) | "
             "÷ reference (CPU min) |", "|---|---|---:|---:|---:|---:|---:|"]
    for row in results["tasks"]:
        ref = row["impls"].get("numpy reference")
        for name, r in row["impls"].items():
            wall = ref and r["min"] / ref["min"]
            cpu = ref and r["cpu_min"] / ref["cpu_min"]
            lines.append(f"| {row['task']} | {name} | {_time(r['min'])} | {_time(r['median'])} | "
                         f"{_time(r['cpu_min'])} | {_ratio(wall)} | {_ratio(cpu)} |")

    def verdict(ok):
        return "—" if ok is None else ("yes" if ok else "**no**")
    lines += ["", "| core target (issue 15) | wall min | met | CPU min | met |", "|---|---:|---|---:|---|"]
    for (text, wall, ok_wall), (_, cpu, ok_cpu) in zip(core_targets(results), core_targets(results, "cpu_min")):
        lines.append(f"| {text} | {wall} | {verdict(ok_wall)} | {cpu} | {verdict(ok_cpu)} |")

    lines += ["", "Matrix products alone (this machine's BLAS, same shapes and layouts, "
              "k = 1 outer products excluded) as a fraction of nnkit's step:", "",
              "| task | products | floor (wall min) | nnkit step (wall min) | fraction | fraction (CPU min) |",
              "|---|---|---:|---:|---:|---:|"]
    for row in results["tasks"]:
        if "matmul_floor" in row:
            lines.append(f"| {row['task']} | {row['matmul_count']} | {_time(row['matmul_floor'])} | "
                         f"{_time(row['impls'][nnkit_impl(row['task'])]['min'])} | "
                         f"{row['matmul_fraction']:.0%} | {row['matmul_fraction_cpu']:.0%} |")
    mem = results.get("memory")
    if mem:
        lines += ["", f"Peak memory of one T3 float64 step (tracemalloc: parameters, buffers and "
                  f"temporaries; the data X, Y not counted) against the arrays it needs "
                  f"(activations {mem['activations_mb']:.1f} MB + parameters {mem['params_mb']:.2f} MB "
                  f"+ gradients {mem['params_mb']:.2f} MB = {mem['needed_mb']:.1f} MB), for information:", "",
                  "| implementation | peak | ÷ needed |", "|---|---:|---:|",
                  f"| nnkit | {mem['nnkit_mb']:.1f} MB | {mem['nnkit_ratio']:.2f} |",
                  f"| numpy reference | {mem['reference_mb']:.1f} MB | {mem['reference_ratio']:.2f} |"]
    if results.get("user_facing"):
        lines += ["", "What users feel (full runs only):", "",
                  "| measurement | value | target | met | notes |", "|---|---:|---:|---|---|"]
        for r in results["user_facing"]:
            target = "—" if r["target"] is None else f"{r['target']:g} {r['unit']}"
            met = None if r["target"] is None else r["value"] <= r["target"]
            lines.append(f"| {r['what']} | {r['value']:.3g} {r['unit']} | {target} | {verdict(met)} | "
                         f"{r.get('note', '')} |")
    if results.get("extras"):
        lines += ["", "| other measurement (information) | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in results["extras"].items()]
    return "\n".join(lines) + "\n"
