"""nnkit.grading.sandbox on tiny notebooks: what the code inside can and cannot do, crash recovery.

The whole-class attacks are tests/test_attacks.py; these check the sandbox's promises directly.
"""
import os
from pathlib import Path

import pytest

from nnkit.course.autograde import grading_kit
from nnkit.grading import sandbox

PROBE = f'''
import os, socket
facts = {{"uid": os.getuid(), "pids": len([p for p in os.listdir("/proc") if p.isdigit()]),
         "visible": [p for p in {[str(Path.home() / ".ipython"), str(Path.home() / ".jupyter"),
                                  str(Path.cwd() / "notebooks"), str(Path.cwd() / "tools"),
                                  str(Path.cwd() / "nnkit")]!r} if os.path.exists(p)],
         "env": sorted(os.environ)}}
try:
    open("/usr/nnkit-probe", "w")
    facts["usr_writable"] = True
except OSError:
    facts["usr_writable"] = False
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    facts["network"] = True
except OSError:
    facts["network"] = False
print(facts)
'''


def cell(key, source, kind="student"):
    return {"key": key, "kind": kind, "source": source}


def printed(result):
    return "".join(o.get("text", "") for o in result["outputs"])


@pytest.fixture(scope="module")
def kit():
    if sandbox.check() is not None:
        pytest.skip(f"no sandbox here: {sandbox.check()}")
    return grading_kit()


def test_the_code_inside_sees_nothing_of_the_grader(kit):
    result = sandbox.run_cells([cell("probe", PROBE)], kit, timeout=30)["probe"]
    facts = eval(printed(result))     # the probe printed a dict literal of plain values
    assert facts["uid"] not in (0, os.getuid())
    assert facts["pids"] <= 6         # its own PID namespace: bwrap, the runner, the kernel
    assert facts["visible"] == [] and not facts["usr_writable"]
    assert not facts["network"]
    assert "PYTHONPATH" in facts["env"] and not [k for k in facts["env"] if k.startswith(("SSH", "JUPYTERHUB", "CI"))]


def test_a_dead_kernel_costs_its_cell_and_the_state_before_it_is_replayed(kit, tmp_path):
    cells = [cell("a", "x = 41"), cell("b", "import os\nos._exit(3)"), cell("c", "print(x + 1)")]
    with open(tmp_path / "log", "wb") as log:
        results = sandbox.run_cells(cells, kit, timeout=30, log=log)
    assert results["a"]["status"] == "ok" and results["b"]["status"] == "died"
    assert printed(results["c"]) == "42\n"
    assert "sandbox run 2" in (tmp_path / "log").read_text()


def test_without_the_sandbox_the_verdict_machinery_still_works(kit):
    """--no-sandbox: the same runner and grading copy of nnkit, just no isolation."""
    record = ("import nnkit.grading.answers as a\n"
              "a.record(0, 'loss', lambda: (lambda o, t: nnkit.loss(o, t)), True, False, "
              "{'o': [1.0], 't': [0.0]}, 'ex', ())")
    results = sandbox.run_cells([cell("imp", "import nnkit"), cell("t", record, "test")], kit, timeout=30,
                                sandbox=False)
    answer, = results["t"]["answers"]
    assert answer["forbidden"] == ["homework.loss"] and "ForbiddenCall" in answer["error"]


def test_a_result_file_that_is_not_the_runners_is_refused(tmp_path):
    path = tmp_path / "progress.jsonl"
    path.write_text('{"key": "a", "status": "ok", "outputs": [{"output_type": "evil"}], "answers": []}\n')
    entries, problem = sandbox.read_progress(path, ["a"], 0)
    assert entries == [] and "malformed" in problem
    path.write_text('{"key": "zz", "status": "ok", "outputs": [], "answers": []}\n')
    assert "unknown cell" in sandbox.read_progress(path, ["a"], 0)[1]
