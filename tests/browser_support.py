"""Helpers for the tests that use JupyterLab the way a student does: a real server, a real browser.

- `LabServer`: `jupyter lab` as a child process held by its PID, on 127.0.0.1, a free port and a
  random token, with every Jupyter state folder (config, data, runtime, settings, workspaces,
  IPython) in a temp folder, so no user state leaks in and nothing is written into the repository.
- `chromium()`: Playwright driving Debian's chromium through `executable_path` (`playwright
  install` cannot download browsers on these machines). Missing browser: skip with how to enable
  it, or fail under CI (CI=true), where the browser tests must run.
- `LabPage`: what a student does in JupyterLab — open a notebook, Run → Run All Cells, wait for
  the kernel to go idle, look at the outputs — plus screenshots into tests/artifacts/.
"""
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("NNKIT_CHROMIUM", "/usr/bin/chromium")
# Headless, as root (no sandbox), and no calls home: this machine's network is closed, and
# chromium's background requests would be refused, many at a time.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ENABLE_HINT = ("install Debian's chromium (`sudo apt-get install chromium`, or run "
               "`tools/ensure-chromium` as root) or point NNKIT_CHROMIUM at a chromium/chrome binary")
# Server option for the browser tests: window.jupyterapp, so a test can read the notebook model
# (kernel status, output types) instead of guessing them from the page's markup.
LAB_TEST_ARGS = ["--LabApp.expose_app_in_browser=True"]
STARTUP_TIMEOUT = 90  # seconds; two busy cores can make a cold JupyterLab start slow


def chromium_path():
    """The chromium to drive; skip (or fail under CI) with how to enable the tests if missing."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"no chromium at {CHROMIUM}: the browser tests need one; {ENABLE_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the browser tests must run, but {message}")
    pytest.skip(message)


@contextlib.contextmanager
def chromium():
    """A headless chromium Browser (Playwright), closed afterwards."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(state_dir, bin_dir):
    """os.environ with every Jupyter/IPython state folder moved under `state_dir`, and `bin_dir`
    (a virtual environment's bin/) first on PATH, as if that environment were activated."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "JPY_", "IPYTHON", "VIRTUAL_ENV", "PYTHONHOME"))}
    state = Path(state_dir)
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython"),
                      ("MPLCONFIGDIR", "matplotlib")]:
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(state / sub)
    # No "Would you like to receive Jupyter news?" toast over the screenshots.
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(Path(bin_dir).parent)
    return env


class LabServer:
    """`jupyter lab` serving `root_dir`, started and stopped by PID. Use as a context manager.

    python: the interpreter of the environment to serve from (its jupyterlab and its kernel).
    default_url: where `/` leads, e.g. "/lab/tree/student/01-forward-pass.ipynb" (Binder's urlpath).
    """

    def __init__(self, python, root_dir, state_dir, default_url=None, extra_args=()):
        self.python = Path(python)
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.default_url = default_url
        self.extra_args = list(extra_args)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = None
        self.log_path = self.state_dir / "jupyter-lab.log"

    def command(self):
        args = [str(self.python), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                f"--port={self.port}", "--port-retries=0", f"--ServerApp.token={self.token}",
                f"--ServerApp.root_dir={self.root_dir}"]
        if os.geteuid() == 0:
            args.append("--allow-root")  # jupyter refuses to run as root without it (containers, CI)
        if self.default_url:
            args.append(f"--LabApp.default_url={self.default_url}")
        return args + self.extra_args

    def __enter__(self):
        env = isolated_env(self.state_dir, self.python.parent)
        with open(self.log_path, "wb") as log:
            # Own process group, so stop() also ends the kernels this server started.
            self.process = subprocess.Popen(self.command(), cwd=self.root_dir, env=env,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=40):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def api(self, path, method="GET"):
        """JSON from the server's REST API (authenticated with the token)."""
        request = urllib.request.Request(self.url + path.lstrip("/"), method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def get(self, path):
        """(status, final url, body text) of a GET with the token, following redirects."""
        request = urllib.request.Request(self.url + path.lstrip("/"),
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.url, response.read().decode()

    def wait_until_ready(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab not ready after {STARTUP_TIMEOUT} s:\n{self.log_tail()}")

    def shutdown_kernels(self):
        """Shut down every kernel this server runs (frees memory between notebooks)."""
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE")

    def stop(self):
        """Stop the server by its PID (SIGTERM, then SIGKILL), then anything left in its process
        group (kernels it started), even if the server itself had already died."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group start_new_session made for us
        self.process = None


# The page's JavaScript reads JupyterLab's own model: servers run with LAB_TEST_ARGS.
_CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return Array.from(panel.content.widgets, (cell, index) => ({
    index,
    type: cell.model.type,
    source: cell.model.sharedModel.getSource(),
    nbgrader: cell.model.getMetadata('nbgrader') || {},
    outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON() : [],
  }));
}"""


class LabPage:
    """A Playwright Page on a LabServer, with the steps a student takes."""

    def __init__(self, page, server, name):
        self.page = page
        self.server = server
        self.name = name  # prefix of this test's screenshots
        self.shots = 0

    def open(self, path):
        """Open the notebook at `path` (relative to the server's root) in a fresh workspace."""
        self.page.goto(f"{self.server.url}lab/tree/{path}?reset&token={self.server.token}")
        self.page.locator(".jp-NotebookPanel").first.wait_for(state="visible", timeout=60_000)
        self.wait_for_idle()

    def menu(self, top, item):
        """Click menu `top` (e.g. "Run"), then its item `item` (e.g. "Run All Cells")."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
        self.page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()

    def wait_for_idle(self, timeout=90_000):
        """Wait until the notebook's kernel is connected and idle, and no cell is queued ([*])."""
        self.page.wait_for_function(
            """() => {
              const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
              const kernel = panel && panel.sessionContext && panel.sessionContext.session
                             && panel.sessionContext.session.kernel;
              if (!kernel || kernel.status !== 'idle' || kernel.connectionStatus !== 'connected') return false;
              const prompts = Array.from(panel.node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'));
              return prompts.every(p => !p.textContent.includes('*'));
            }""", timeout=timeout)

    def run_all(self, timeout=180_000):
        """Edit → Clear Outputs of All Cells, then Run → Run All Cells, and wait until done.

        Clearing first makes every output on the page one this run produced."""
        self.wait_for_idle()  # Run All does nothing while the kernel is still starting
        self.menu("Edit", "Clear Outputs of All Cells")
        self.menu("Run", "Run All Cells")
        # Run All queues every code cell at once; wait for the first to get its number.
        self.page.wait_for_function(
            """() => {
              const panel = window.jupyterapp.shell.currentWidget;
              const prompt = panel.node.querySelector('.jp-CodeCell .jp-InputArea-prompt');
              return prompt && /\\d/.test(prompt.textContent);
            }""", timeout=timeout)
        self.wait_for_idle(timeout)

    def cells(self):
        """The open notebook's cells as the page's model holds them: type, source, outputs."""
        return self.page.evaluate(_CELLS_JS)

    def error_outputs(self):
        """[(cell index, "ename: evalue")] for every error output in the open notebook."""
        return [(cell["index"], f"{out['ename']}: {out['evalue']}")
                for cell in self.cells() for out in cell["outputs"] if out["output_type"] == "error"]

    def stderr_texts(self):
        """Text of every red (stderr or error) output box shown on the page."""
        return self.page.locator(
            ".jp-NotebookPanel:not(.lm-mod-hidden) "
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()

    def cell(self, index):
        """Make cell `index` the active cell, scrolled into view; return a Locator for it."""
        self.page.evaluate("""async index => {
            const notebook = window.jupyterapp.shell.currentWidget.content;
            notebook.activeCellIndex = index;
            await notebook.scrollToItem(index, 'start');
        }""", index)
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)

    def screenshot(self, step, scroll_to=None):
        """Save a screenshot of the page to tests/artifacts/ and print its path.

        scroll_to: a Locator to bring into view first (e.g. a figure in a cell)."""
        if scroll_to is not None:
            scroll_to.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        print(f"screenshot: {path}")
        return path
