"""The benchmarks run, and refuse to time implementations that disagree.

Speed itself is never asserted here (this machine is shared and noisy): `python -m benchmarks`
reports ratios measured in one run, and docs/performance.md holds the latest full table.
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import reference, tasks
from benchmarks.__main__ import check_agreement

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
    assert "| T3 float64 | nnkit |" in table and "target (issue 8)" in table
    assert "| T3 float64 | nnkit |" in run.stdout


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
