"""The Binder launch, simulated: build the repository the way repo2docker does, then open the link.

No docker engine runs here, so the build is replayed by hand from repo2docker's documented steps:
the committed repository (`git archive HEAD`) in a fresh folder, a fresh virtual environment with
the Python of binder/runtime.txt, `pip install -r binder/requirements.txt`, then binder/postBuild
run from the repository root. One build per test session (about a minute, mostly pip).
The learner's link is  https://mybinder.org/v2/gh/OWNER/REPO/HEAD?urlpath=<BINDER_URLPATH>.
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from browser_support import LAB_TEST_ARGS, ROOT, LabPage, LabServer, chromium

BINDER_URLPATH = "lab/tree/student/01-forward-pass.ipynb"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))   # 00-homework, 01 … 05, …


def run(args, text=True, **kwargs):
    """Run a build step; on failure show its output (the build log is what one would read)."""
    start = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=text, **kwargs)
    print(f"[{time.monotonic() - start:5.1f} s] {' '.join(map(str, args))[:100]}")
    assert result.returncode == 0, (f"{' '.join(map(str, args))} exited {result.returncode}:\n"
                                    f"{result.stdout[-3000:]!s}\n{result.stderr[-3000:]!s}")
    return result


def runtime_python():
    """An interpreter of the version binder/runtime.txt names (repo2docker's `python-x.y`)."""
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt should say python-X.Y (repo2docker's format), not {runtime!r}"
    version = tuple(map(int, match.groups()))
    if sys.version_info[:2] == version:
        return sys.executable
    found = shutil.which(f"python{version[0]}.{version[1]}")
    if found:
        return found
    message = f"binder/runtime.txt asks for {runtime}; no python{version[0]}.{version[1]} on PATH"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def binder_build(tmp_path_factory):
    """The repository after a simulated repo2docker build: .repo (its root), .python (the venv's)."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    repo.mkdir()
    archive = run(["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"], text=False)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(repo, filter="tar")
    env_dir = base / "venv"
    run([runtime_python(), "-m", "venv", str(env_dir)])
    python = env_dir / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"  # as repo2docker's image has it
    env["VIRTUAL_ENV"] = str(env_dir)
    # --no-compile: the same files, minus the .pyc that Python writes anyway on first import;
    # byte-compiling all of JupyterLab and nbgrader up front roughly doubles this step's time.
    run([python, "-m", "pip", "install", "--quiet", "--no-compile", "-r", "binder/requirements.txt"],
        cwd=repo, env=env)
    postbuild = run(["binder/postBuild"], cwd=repo, env=env)
    return SimpleNamespace(repo=repo, python=python, env=env, base=base, postbuild_log=postbuild.stderr)


def test_binder_config_is_the_one_repo2docker_reads():
    binder = ROOT / "binder"
    assert (binder / "requirements.txt").is_file()
    assert os.access(binder / "postBuild", os.X_OK), "repo2docker runs binder/postBuild as a program"
    assert (binder / "postBuild").read_text().startswith("#!/bin/bash\n")
    assert "set -e" in (binder / "postBuild").read_text(), "a failing step must fail the build"
    # A Dockerfile or environment.yml in binder/ would make repo2docker ignore requirements.txt.
    assert not {"Dockerfile", "environment.yml"} & {p.name for p in binder.iterdir()}


def test_readme_links_to_binder_on_the_student_edition():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]]+", readme)
    assert links, "README.md should carry the Binder badge and link"
    assert all(link.endswith(f"?urlpath={BINDER_URLPATH}") for link in links), links


def test_build_installs_nnkit_from_the_repository(binder_build):
    result = run([binder_build.python, "-c", "import nnkit; print(nnkit.__file__)"],
                 cwd=binder_build.base, env=binder_build.env)
    assert Path(result.stdout.strip()).is_relative_to(binder_build.repo)
    run([binder_build.python, "-m", "pip", "check"], env=binder_build.env)


def test_build_writes_the_student_edition_and_removes_the_solutions(binder_build):
    student = sorted(p.name for p in (binder_build.repo / "student").glob("*.ipynb"))
    assert student == NOTEBOOKS
    # The exercises' solutions are replaced by `raise NotImplementedError()` for the student.
    for name in NOTEBOOKS:
        edition = (binder_build.repo / "student" / name).read_text()
        if "### BEGIN SOLUTION" in (ROOT / "notebooks" / name).read_text():
            assert "raise NotImplementedError()" in edition and "BEGIN SOLUTION" not in edition, name
        assert "BEGIN HIDDEN TESTS" not in edition, name
    # What it was built from is gone: solutions, hidden tests, their sources, the tests' answers.
    assert not [name for name in ("notebooks", "tools/notebook_source", "tests")
                if (binder_build.repo / name).exists()]


@pytest.fixture(scope="module")
def binder_server(binder_build, tmp_path_factory):
    """JupyterLab from the built environment, `/` leading where the Binder link's urlpath does."""
    with LabServer(binder_build.python, binder_build.repo, tmp_path_factory.mktemp("lab-state"),
                   default_url="/" + BINDER_URLPATH,
                   extra_args=LAB_TEST_ARGS) as server:
        yield server


def test_binder_link_serves_student_notebook_1(binder_server):
    status, url, _ = binder_server.get("/")
    assert status == 200 and url.endswith("/" + BINDER_URLPATH), url
    notebook = binder_server.api("api/contents/student/01-forward-pass.ipynb")
    assert notebook["type"] == "notebook" and notebook["content"]["cells"]
    top = {item["name"] for item in binder_server.api("api/contents")["content"]}
    assert "student" in top and "notebooks" not in top


def test_binder_link_opens_notebook_1_in_jupyterlab(binder_server):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        lab = LabPage(page, binder_server, "binder")
        page.goto(f"{binder_server.url}?token={binder_server.token}")
        page.locator(".jp-NotebookPanel").first.wait_for(state="visible", timeout=60_000)
        lab.wait_for_idle()
        tab = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=".ipynb")
        assert tab.first.inner_text() == "01-forward-pass.ipynb"
        assert page.url.endswith("/" + BINDER_URLPATH)
        lab.screenshot("landing")
        # The learner's first action: run the notebook. Only unsolved exercises may fail, and
        # those with the kit's short message.
        lab.run_all()
        errors = lab.error_outputs()
        for index, error in errors:
            assert error.startswith(("NotDoneYet", "NotImplementedError")), (index, error)
        if errors:  # Run All stops at the first unsolved exercise: show its message
            cell = lab.cell(errors[0][0])
            lab.screenshot("first-exercise", scroll_to=cell.locator(".jp-OutputArea-output").last)
        else:
            lab.screenshot("run-all")
