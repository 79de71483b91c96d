"""The benchmarks run, and refuse to time implementations that disagree.

Speed itself is never asserted here (this machine is shared and noisy): `python -m benchmarks`
reports ratios measured in one run against its targets, and docs/performance.md holds the latest
full table.
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import reference, report, tasks
from benchmarks.__main__ import check_agreement, playground_rows

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One `python -m benchmarks --quick` run, as CI and a user would start it."""
    out = tmp_path_factory.mktemp("bench")
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--output", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    return run, out


def test_quick_mode_runs_and_writes_json_and_markdown(quick_run):
    run, out = quick_run
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((out / "quick.json").read_text())
    assert [row["task"] for row in results["tasks"]] == [task.key for task in tasks.TASKS]
    for row in results["tasks"]:
        assert {"nnkit", "numpy reference"} <= set(row["impls"]) or row["task"] == "T1"
        for timing in row["impls"].values():
            assert 0 < timing["min"] <= timing["median"]
    table = (out / "quick.md").read_text()
    assert "| T3 float64 | nnkit |" in table and "core target (issue 15)" in table
    for task in tasks.TASKS:
        assert f"| {task.key} {report.nnkit_impl(task.key)} within 1.5× of the numpy reference |" in table
    assert "| T3 float64 | nnkit |" in run.stdout


def test_a_full_report_shows_each_playground_target_beside_its_measurement(quick_run):
    """A full run adds the user-facing rows (minutes to measure): the report is built from rows of
    the same shape here, one per playground target, with made-up numbers on either side of it."""
    from benchmarks import playground
    run, out = quick_run
    results = json.loads((out / "quick.json").read_text())
    measured = {name: {"median_ms": median / 2, "p90_ms": 2 * (p90 or median), "samples": 5}
                for name, (median, p90) in playground.TARGETS_MS.items()}
    results["user_facing"] = playground_rows(measured, playground.TARGETS_MS)
    table = report.markdown(results)
    for name, (median, p90) in playground.TARGETS_MS.items():
        assert f"| playground: {name}, median | {median / 2:.3g} ms | {median:g} ms | yes |" in table
        if p90 is not None:
            assert f"| playground: {name}, p90 | {2 * p90:.3g} ms | {p90:g} ms | **no** |" in table


def test_every_implementation_agreed_before_timing(quick_run):
    run, out = quick_run
    results = json.loads((out / "quick.json").read_text())
    for row in results["tasks"]:
        allowed = 1e-9 if "float32" not in row["task"] else 1e-4
        assert row["agreement"] < allowed, row["task"]


def test_the_t3_memory_figure_is_measured(quick_run):
    run, out = quick_run
    memory = json.loads((out / "quick.json").read_text())["memory"]
    # The arrays a 2-256-256-1 step on 4096 samples needs, counted by hand here:
    params = (2 * 256 + 256) + (256 * 256 + 256) + (256 + 1)
    activations = 4096 * (256 + 256 + 1)
    assert memory["needed_mb"] == pytest.approx((activations + 2 * params) * 8 / 1e6)
    assert memory["nnkit_mb"] > memory["activations_mb"]


def test_a_disagreeing_implementation_stops_the_run_before_timing():
    task = next(t for t in tasks.TASKS if t.key == "T2 float64")
    impls = tasks.network_impls(task, available=set())
    X, Y = tasks.data(task)
    wrong = reference.Network(tasks.nnkit_model(task).params, task.hidden, task.loss)
    wrong.params["W2"][0, 0] += 1e-6          # a slightly different weight
    impls.append(tasks.Impl("wrong", lambda: None, lambda: wrong.loss_and_grads(X, Y)))
    with pytest.raises(SystemExit, match="DISAGREEMENT on T2 float64: wrong differs from nnkit"):
        check_agreement(task, impls)


def test_nnkit_and_the_numpy_reference_agree_on_every_task():
    for task in tasks.TASKS:
        impls = (tasks.homework_impls(available=set()) if task.name == "T1"
                 else tasks.network_impls(task, available=set()))
        assert check_agreement(task, impls) < (1e-9 if task.dtype == "float64" else 1e-4)


def test_the_reference_homework_step_is_the_homework():
    import nnkit
    m = reference.homework_matrices(nnkit.homework_params())
    loss, _ = reference.homework_loss_and_grads(m, np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(nnkit.loss(nnkit.forward(nnkit.homework_params())), rel=1e-15)


def fake_results(nnkit_seconds, reference_seconds, user_facing=()):
    timing = {"min": nnkit_seconds, "median": nnkit_seconds, "cpu_min": nnkit_seconds}
    reference_timing = {"min": reference_seconds, "median": reference_seconds, "cpu_min": reference_seconds}
    machine = {"cpu": "cpu", "cores": 2, "python": "3", "numpy": "2", "blas": "b", "blas_threads": 1,
               "load_average": "0 0 0"}
    return {"date": "today", "mode": "quick", "machine": machine, "extras": {}, "user_facing": list(user_facing),
            "tasks": [{"task": "T2 float64", "agreement": 0.0,
                       "impls": {"nnkit": timing, "numpy reference": reference_timing, "torch": reference_timing}}]}


@pytest.mark.parametrize("nnkit_seconds,met", [(1.4, True), (1.5, True), (1.6, False)])
def test_the_core_target_is_nnkit_within_one_and_a_half_times_the_reference(nnkit_seconds, met):
    [(text, measured, ok)] = report.core_targets(fake_results(nnkit_seconds, 1.0))
    assert ok is met and measured == f"{nnkit_seconds / 1.0:.3g}×"
    assert text == "T2 float64 nnkit within 1.5× of the numpy reference"


def test_torch_is_information_not_a_target():
    table = report.markdown(fake_results(1.0, 2.0))
    targets = table.split("| core target (issue 15) |")[1]
    assert "torch" not in targets
    assert "| T2 float64 | torch |" in table


def test_user_facing_figures_are_reported_against_their_targets():
    rows = [{"what": "all notebooks executed once", "value": 30.0, "unit": "s", "target": 60.0},
            {"what": "playground: slider (median)", "value": 80.0, "unit": "ms", "target": 50.0},
            {"what": "playground: full redraw (median)", "value": 40.0, "unit": "ms", "target": None}]
    table = report.markdown(fake_results(1.0, 1.0, rows))
    assert "| all notebooks executed once | 30 s | 60 s | yes |" in table
    assert "| playground: slider (median) | 80 ms | 50 ms | **no** |" in table
    assert "| playground: full redraw (median) | 40 ms | — | — |" in table
