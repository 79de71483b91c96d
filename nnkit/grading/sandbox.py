"""Run one submission's cells in a bubblewrap sandbox; read back what it did, strictly.

    check() -> None, or why no sandbox can be made here (with the fix)
    run_cells(cells, kit, timeout, slot, log) -> {key: {"status", "outputs", "answers", "why"}}

What the code inside can reach (see docs/instructors.md, "How grading is kept honest"):
read-only: /usr, the interpreter's prefix, the environment (its site-packages, with any
installed nnkit hidden) and the grading copy of nnkit (`kitcopy`); writable: a private tmpfs
/tmp and /scratch, a fresh directory holding only this run's job. No network (own network
namespace: loopback only), own PID namespace (it cannot see or signal the grader), own IPC and
UTS namespaces, a new session (no terminal), an unprivileged user (as root: a user id of its own
per parallel slot, so limits on processes are per sandbox), no capabilities, a clean environment,
and limits on memory, processes, open files, file size and CPU time, a wall-clock limit, and a
cap on what it may write back. The sandbox dies with the grader.

A cell that times out or kills the kernel (exit(), os._exit, a segfault, out of memory, the
runner killed) ends that sandbox; a new one replays the earlier cells silently and goes on after
it, so a crash costs that cell only (at most MAX_RESTARTS times per submission).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
SLOT_UID = 0x7FFF0000        # as root, parallel slot k runs as uid SLOT_UID + k (no such user exists)
MAX_RESTARTS = 8
MAX_OUTPUT = 100_000         # characters of output kept per cell
MAX_PROGRESS = 16_000_000    # bytes of progress file the trusted side reads at most
LIMITS = {"as": 4 << 30, "nproc": 256, "nofile": 512, "fsize": 64 << 20, "cpu": 900}
STATUSES = {"ok", "error", "timeout", "died"}
HOW_TO_FIX = ("install bubblewrap (as root: apt-get install -y bubblewrap, or tools/ensure-bubblewrap) and, "
              "unless grading as root, allow unprivileged user namespaces (check: `unshare --user true`; "
              "Debian/Ubuntu: sysctl kernel.unprivileged_userns_clone=1; Ubuntu >= 23.10: "
              "sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; "
              "Kubernetes: a pod security context that allows them)")


def _ancestors(path):
    parents = list(Path(path).parents)[::-1][1:]
    return [str(p) for p in parents]


def _mounts(kit):
    """bwrap arguments for the read-only world the submission sees."""
    prefix, base = Path(sys.prefix), Path(sys.base_prefix)
    purelib = Path(sysconfig.get_paths()["purelib"])
    ro = [p for p in dict.fromkeys([base, prefix]) if not str(p).startswith("/usr")]
    args = ["--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--size", str(512 << 20), "--tmpfs", "/tmp",
            "--perms", "0777", "--dir", "/scratch"]
    made = set()
    for path in [*ro, Path("/opt/nnkit")]:
        for parent in _ancestors(path):
            if parent not in made and parent not in ("/usr",) and not parent.startswith("/usr/"):
                args += ["--perms", "0755", "--dir", parent]
                made.add(parent)
    for path in ro:
        args += ["--ro-bind", str(path), str(path)]
    installed = purelib / "nnkit"           # a non-editable install of the real kit: hide it
    if installed.is_dir():
        args += ["--tmpfs", str(installed)]
    return args + ["--ro-bind", str(kit), "/opt/nnkit"]


def environment(kit="/opt/nnkit", home="/tmp", student=None):
    """The whole environment the runner and the kernel get (nothing of the grader's).

    student: the submission's id, as NNKIT_STUDENT, so that a notebook showing each student their
    own numbers (notebook 06) shows this student's, as the trusted judge grades them.
    """
    return {**({"NNKIT_STUDENT": student} if student else {}),
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin", "HOME": home, "PYTHONPATH": str(kit),
            "MPLBACKEND": "agg", "MPLCONFIGDIR": f"{home}/mpl", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", "JUPYTER_PLATFORM_DIRS": "1",
            "IPYTHONDIR": f"{home}/.ipython", "JUPYTER_RUNTIME_DIR": f"{home}/runtime"}


def command(kit, scratch, slot, student=None):
    """argv that runs the runner on `scratch` in a sandbox (as root: under uid SLOT_UID + slot)."""
    env = environment(student=student)
    argv = [BWRAP, *_mounts(kit), "--bind", str(scratch), "/scratch", "--chdir", "/scratch",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]
    for name, value in env.items():
        argv += ["--setenv", name, value]
    limits = [f"--{name}={value}" for name, value in _limits().items()]
    inner = ["/usr/bin/prlimit", *limits, sys.executable, "-I", "-c",
             "import sys; sys.path.insert(0, '/opt/nnkit'); from nnkit.grading.runner import main; main('/scratch')"]
    if os.geteuid() == 0:
        uid = str(SLOT_UID + slot)
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "/usr/bin/setpriv", f"--reuid={uid}",
                 f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]
    else:
        argv += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
    return argv + inner


def _threads_of_this_user():
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(os.getuid())]:
            count += int(fields.get("Threads", "1"))
    return count


def _limits():
    """LIMITS; as a normal user the process limit counts all of that user's processes, so it is
    raised by what already runs (as root every sandbox has a user id, and so a count, of its own)."""
    if os.geteuid() == 0:
        return LIMITS
    return {**LIMITS, "nproc": LIMITS["nproc"] + _threads_of_this_user()}


def unsandboxed_command(kit, scratch):
    """The --no-sandbox opt-out: the same runner, limits and clean environment, nothing else."""
    limits = [f"--{name}={value}" for name, value in _limits().items()]
    return ["/usr/bin/prlimit", *limits, sys.executable, "-I", "-c",
            f"import sys; sys.path.insert(0, {str(kit)!r}); "
            f"from nnkit.grading.runner import main; main({str(scratch)!r})"]


def check():
    """None if a sandbox can be made here, else what is wrong and how to fix it."""
    if not Path(BWRAP).exists():
        return f"bubblewrap (bwrap) is not installed: {HOW_TO_FIX}"
    with tempfile.TemporaryDirectory(prefix="nnkit-sandbox-check-") as kit:
        scratch = tempfile.mkdtemp(prefix="nnkit-scratch-")
        os.chmod(scratch, 0o777)
        argv = command(kit, scratch, 0)
        inner = argv.index("/usr/bin/prlimit")
        probe = subprocess.run([*argv[:inner], sys.executable, "-I", "-c", "import numpy, nbclient, ipykernel"],
                               capture_output=True, text=True, timeout=60)
        shutil.rmtree(scratch, ignore_errors=True)
    if probe.returncode:
        return f"bwrap cannot start a sandbox here ({probe.stderr.strip()[-300:]}): {HOW_TO_FIX}"
    return None


def text(value):
    """A string from an output field (a string or a list of strings); anything else is dropped."""
    if isinstance(value, str):
        return value
    return "".join(x for x in value if isinstance(x, str)) if isinstance(value, list) else ""


def _clean(output):
    """A fresh output dict with only the fields nbformat allows, sizes capped; None if malformed."""
    kind = output.get("output_type") if isinstance(output, dict) else None
    if kind == "stream" and output.get("name") in ("stdout", "stderr"):
        return {"output_type": "stream", "name": output["name"], "text": text(output.get("text"))[:MAX_OUTPUT]}
    if kind in ("display_data", "execute_result") and isinstance(output.get("data"), dict):
        data = {k: text(v)[:MAX_OUTPUT * 5] for k, v in output["data"].items()
                if k in ("text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/svg+xml")}
        cleaned = {"output_type": kind, "data": data, "metadata": {}}
        if kind == "execute_result":
            cleaned["execution_count"] = None
        return cleaned
    if kind == "error":
        trace = [text(line)[:5000] for line in output.get("traceback", [])[:60] if isinstance(line, str)]
        return {"output_type": "error", "ename": text(output.get("ename"))[:200],
                "evalue": text(output.get("evalue"))[:5000], "traceback": trace}
    return None


def _valid_answer(answer):
    keys = {"index", "task", "answer", "error", "forbidden"}
    return (isinstance(answer, dict) and set(answer) == keys and isinstance(answer["index"], int)
            and isinstance(answer["task"], str) and (answer["error"] is None or isinstance(answer["error"], str))
            and isinstance(answer["forbidden"], list) and all(isinstance(f, str) for f in answer["forbidden"])
            and len(json.dumps(answer["answer"])) < 200_000)


def read_progress(path, keys, start):
    """[(key, entry)] from a progress file, in order; stops at the first line that is not valid.

    Returns (entries, problem): problem says why reading stopped early (None if it did not)."""
    if not path.exists():
        return [], None
    if path.stat().st_size > MAX_PROGRESS:
        return [], f"its result file is larger than {MAX_PROGRESS} bytes"
    entries, position = [], start
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            line = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            return entries, f"line {number} of its result file is not JSON"
        if not (isinstance(line, dict) and set(line) == {"key", "status", "outputs", "answers"}
                and line["status"] in STATUSES and isinstance(line["outputs"], list)
                and isinstance(line["answers"], list)):
            return entries, f"line {number} of its result file is not a cell result"
        if line["key"] not in keys:
            return entries, f"line {number} of its result file names an unknown cell {str(line['key'])[:40]!r}"
        index = keys.index(line["key"])
        replay_failure = index < start and line["status"] in ("timeout", "died")
        if index < position and not replay_failure:
            return entries, f"line {number} of its result file repeats or reorders cell {line['key']}"
        outputs = [_clean(o) for o in line["outputs"][:40]]
        if None in outputs or not all(_valid_answer(a) for a in line["answers"][:200]):
            return entries, f"line {number} of its result file has malformed outputs"
        entries.append((line["key"], {"status": line["status"], "outputs": outputs, "answers": line["answers"][:200],
                                      "replay": replay_failure}))
        position = max(position, index + 1)
    return entries, None


def _run_once(argv, scratch, wall, log, env):
    with subprocess.Popen(argv, stdout=log, stderr=log, start_new_session=True, env=env) as process:
        try:
            process.wait(timeout=wall)
            return None
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return f"the sandbox ran longer than {wall} s and was stopped"


def run_cells(cells, kit, timeout, slot=0, log=None, sandbox=True, student=None):
    """Run `cells` ([{"key", "kind", "source"}]); {key: result} for every cell, with why it failed."""
    keys = [cell["key"] for cell in cells]
    results, start, skip, replay = {}, 0, [], True
    log = log or subprocess.DEVNULL
    for attempt in range(MAX_RESTARTS + 1):
        scratch = Path(tempfile.mkdtemp(prefix="nnkit-scratch-"))
        job = {"cells": cells, "start": start, "replay": replay, "skip": skip, "timeout": timeout,
               "max_output": MAX_OUTPUT}
        (scratch / "job.json").write_text(json.dumps(job))
        if os.geteuid() == 0 and sandbox:
            os.chown(scratch, SLOT_UID + slot, SLOT_UID + slot)
            os.chown(scratch / "job.json", SLOT_UID + slot, SLOT_UID + slot)
        scratch.chmod(0o700)
        argv = command(kit, scratch, slot, student) if sandbox else unsandboxed_command(kit, scratch)
        began = time.monotonic()
        env = None if sandbox else environment(kit, home=str(scratch), student=student)
        stopped = _run_once(argv, scratch, timeout * (len(cells) - start + 2) + 60, log, env)
        entries, problem = read_progress(scratch / "progress.jsonl", keys, start)
        shutil.rmtree(scratch, ignore_errors=True)
        notes = "".join(f"; {note}" for note in (stopped, problem) if note)
        _note(log, f"sandbox run {attempt + 1}: cells {start}..: {len(entries)} result(s) in "
                   f"{time.monotonic() - began:.1f} s{notes}")
        for key, entry in entries:
            if entry["replay"]:
                results.setdefault(key, {**entry, "why": f"replaying it after a restart: {entry['status']}"})
            else:
                results[key] = {**entry, "why": _why(entry["status"], timeout)}
        if problem:
            for key in keys[start:]:
                results.setdefault(key, {"status": "invalid", "outputs": [], "answers": [],
                                         "why": f"not graded: {problem} (the submission interfered with grading)"})
            return results
        done = [keys.index(key) for key, _ in entries if not _["replay"]]
        last = max(done, default=start - 1)
        failed = [key for key, entry in entries if entry["status"] in ("timeout", "died")]
        if not failed and last == len(keys) - 1:
            return results
        killer = failed[-1] if failed else keys[last + 1]
        if not failed:
            results[killer] = {"status": "died", "outputs": [], "answers": [],
                               "why": stopped or "the sandbox stopped while running this cell "
                                                 "(it killed its own runner, or ran out of memory or processes)"}
        skip.append(killer)
        if start and keys.index(killer) == start:
            replay = False   # the first cell after a replay died: an earlier cell broke the kernel for good
            _note(log, "the kernel died right after replaying the earlier cells: going on without replaying them")
        start = max(start, keys.index(killer) + 1) if not entries or not entries[-1][1]["replay"] else start
        if start >= len(keys):
            return results
    for key in keys[start:]:
        results.setdefault(key, {"status": "died", "outputs": [], "answers": [],
                                 "why": f"not run: the kernel died more than {MAX_RESTARTS} times"})
    return results


def _why(status, timeout):
    return {"ok": None, "error": None,
            "timeout": f"it ran longer than {timeout} s (stopped; the rest of the notebook was graded)",
            "died": "the kernel died while running it (exit(), os._exit, a crash or out of memory); "
                    "the rest of the notebook was graded"}[status]


def _note(log, text):
    if hasattr(log, "write"):
        log.write(f"[nnkit] {text}\n".encode() if "b" in getattr(log, "mode", "") else f"[nnkit] {text}\n")
        log.flush()
