"""The results as a table (printed and Markdown) and the targets of issue 8, met or missed."""


def _time(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def _ratio(r):
    return "—" if r is None else (f"{r:.3g}" if r >= 1e-3 else f"{r:.2e}")


def targets(results, clock="min"):
    """[(target, measured, met)] from the results: ratios of the "min" (wall) or "cpu_min" times."""
    t = {row["task"]: row for row in results["tasks"]}

    def time_of(task, impl):
        row = t.get(task)
        return row and row["impls"].get(impl, {}).get(clock)

    def ratio(task, slow, fast):
        a, b = time_of(task, slow), time_of(task, fast)
        return a / b if a and b else None

    out = []

    def add(text, value, ok, fmt="{:.3g}×"):
        out.append((text, "not measured" if value is None else fmt.format(value),
                    None if value is None else ok(value)))

    add("T1 nnkit.homework ≥ 3× faster than numpy reference",
        ratio("T1", "numpy reference", "nnkit.homework"), lambda r: r >= 3)
    add("T1 MLP.from_homework() within 2× of numpy reference",
        ratio("T1", "nnkit MLP.from_homework", "numpy reference"), lambda r: r <= 2)
    add("T2 nnkit within 1.2× of numpy reference", ratio("T2 float64", "nnkit", "numpy reference"),
        lambda r: r <= 1.2)
    add("T2 nnkit ≥ 3× faster than torch", ratio("T2 float64", "torch", "nnkit"), lambda r: r >= 3)
    add("T2 nnkit ≥ 10,000× faster than micrograd", ratio("T2 float64", "micrograd", "nnkit"),
        lambda r: r >= 1e4, fmt="{:,.0f}×")
    for dtype in ("float64", "float32"):
        add(f"T3 {dtype} nnkit faster than torch (torch ÷ nnkit > 1)",
            ratio(f"T3 {dtype}", "torch", "nnkit"), lambda r: r > 1)
    fraction = t.get("T3 float64", {}).get("matmul_fraction" if clock == "min" else "matmul_fraction_cpu")
    add("T3 float64 matrix products ≥ 60 % of nnkit's step", fraction, lambda f: f >= 0.6, fmt="{:.0%}")
    for dtype in ("float64", "float32"):
        add(f"T4 {dtype} nnkit faster than torch (torch ÷ nnkit > 1)",
            ratio(f"T4 {dtype}", "torch", "nnkit"), lambda r: r > 1)
    memory = results.get("memory", {}).get("nnkit_ratio")
    add("T3 float64 peak memory of a step within 2× of the arrays it needs", memory,
        lambda r: r <= 2)
    return out


def markdown(results):
    """The whole report as Markdown: machine, per-task table, matmul floors, memory, extras, targets."""
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
             "\"nnkit ÷ this\" < 1 means nnkit is faster.", "",
             "| task | implementation | min | median | CPU min | nnkit ÷ this (wall min) | "
             "nnkit ÷ this (CPU min) |", "|---|---|---:|---:|---:|---:|---:|"]
    for row in results["tasks"]:
        base = next(iter(row["impls"].values()))
        for name, r in row["impls"].items():
            lines.append(f"| {row['task']} | {name} | {_time(r['min'])} | {_time(r['median'])} | "
                         f"{_time(r['cpu_min'])} | {_ratio(base['min'] / r['min'])} | "
                         f"{_ratio(base['cpu_min'] / r['cpu_min'])} |")
    lines += ["", "Matrix products alone (this machine's BLAS, same shapes and layouts, "
              "k = 1 outer products excluded) as a fraction of nnkit's step:", "",
              "| task | products | floor (wall min) | nnkit step (wall min) | fraction | fraction (CPU min) |",
              "|---|---|---:|---:|---:|---:|"]
    for row in results["tasks"]:
        if "matmul_floor" in row:
            lines.append(f"| {row['task']} | {row['matmul_count']} | {_time(row['matmul_floor'])} | "
                         f"{_time(next(iter(row['impls'].values()))['min'])} | "
                         f"{row['matmul_fraction']:.0%} | {row['matmul_fraction_cpu']:.0%} |")
    mem = results.get("memory")
    if mem:
        lines += ["", f"Peak memory of one T3 float64 step (tracemalloc: parameters, buffers and "
                  f"temporaries; the data X, Y not counted) against the arrays it needs "
                  f"(activations {mem['activations_mb']:.1f} MB + parameters {mem['params_mb']:.2f} MB "
                  f"+ gradients {mem['params_mb']:.2f} MB = {mem['needed_mb']:.1f} MB):", "",
                  "| implementation | peak | ÷ needed |", "|---|---:|---:|",
                  f"| nnkit | {mem['nnkit_mb']:.1f} MB | {mem['nnkit_ratio']:.2f} |",
                  f"| numpy reference | {mem['reference_mb']:.1f} MB | {mem['reference_ratio']:.2f} |"]
    if results.get("extras"):
        lines += ["", "| other measurement | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in results["extras"].items()]
    lines += ["", "| target (issue 8) | wall min | met | CPU min | met |", "|---|---:|---|---:|---|"]

    def verdict(ok):
        return "—" if ok is None else ("yes" if ok else "**no**")
    for (text, wall, ok_wall), (_, cpu, ok_cpu) in zip(targets(results), targets(results, "cpu_min")):
        lines.append(f"| {text} | {wall} | {verdict(ok_wall)} | {cpu} | {verdict(ok_cpu)} |")
    return "\n".join(lines) + "\n"
