"""Helpers for the JupyterHub test: a real hub, real Unix users, one environment they all share.

- `require_hub_tools()`: root, Debian's `/usr/bin/python3`, `configurable-http-proxy` (installed
  from npm if missing), chromium. Missing: skip with a clear note (under CI=true: fail).
- `users_environment()`: the environment every user's server runs in, built with `/usr/bin/python3`
  (root's own python may live under /root, which other users cannot execute) in a world-readable
  folder under /opt: the pinned requirements, `jupyterhub`, and nnkit installed non-editable (the
  students' environment holds the package, never the instructor notebooks). Kept between runs,
  keyed by the pins (an environment of older pins is removed); nnkit is reinstalled every run.
- `unix_users()`: Unix users with a unique prefix, homes mode 0700; removed afterwards (`userdel -r`)
  after their processes are stopped by PID.
- `Hub`: `jupyterhub` on 127.0.0.1 and free ports, DummyAuthenticator with a password,
  LocalProcessSpawner; started and stopped by PID.
- `as_user()`: run a command as one of those users, in their home, with the shared environment.
"""
import contextlib
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser_support import ROOT, chromium_path, free_port
from nnkit.course.feedback import MATHJAX_PARENT, SERVER_OPTIONS

SYSTEM_PYTHON = "/usr/bin/python3"
JUPYTERHUB = "jupyterhub==6.1.1"
PROXY = "configurable-http-proxy@5.3.0"
# The lead may point this at another pin list while binder/requirements.txt is being re-locked.
REQUIREMENTS = Path(os.environ.get("NNKIT_HUB_REQUIREMENTS", ROOT / "binder" / "requirements.txt"))
ENV_PARENT = Path(os.environ.get("NNKIT_HUB_ENV_DIR", "/opt/nnkit-hub-test"))
HUB_STARTUP = 90  # seconds
COMMAND_TIMEOUT = 240  # seconds for one command run as a user (autograde of a small class)


def _missing(message):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the JupyterHub test must run, but {message}")
    pytest.skip(message)


def require_hub_tools():
    """Skip (fail under CI) unless this machine can host a real hub; install the proxy if needed."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        _missing("the JupyterHub test creates Unix users and runs a hub as root: run it as root "
                 "(e.g. in CI or a container)")
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        _missing(f"no {SYSTEM_PYTHON}: the users' environment is built with the system's Python")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        _missing("useradd/userdel not found (package passwd)")
    if shutil.which("configurable-http-proxy") is None:
        if shutil.which("npm") is None:
            _missing("configurable-http-proxy is missing and npm is not installed "
                     "(apt-get install -y nodejs npm)")
        subprocess.run(["npm", "install", "-g", PROXY], check=True, capture_output=True, timeout=300)
    if not (Path(MATHJAX_PARENT) / "mathjax" / "MathJax.js").exists():  # math without a CDN
        if shutil.which("apt-get") is None:
            _missing(f"no MathJax in {MATHJAX_PARENT}/mathjax (Debian: apt-get install libjs-mathjax)")
        subprocess.run(["apt-get", "install", "-y", "libjs-mathjax"], check=True, capture_output=True, timeout=600)
    chromium_path()


def _run(argv, **kwargs):
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {result.returncode}:\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def users_environment():
    """Path of the shared environment (built if needed), with this checkout's nnkit installed."""
    pins = REQUIREMENTS.read_text()
    key = hashlib.sha256(f"{pins}\n{JUPYTERHUB}\n{os.path.realpath(SYSTEM_PYTHON)}".encode()).hexdigest()[:12]
    env = ENV_PARENT / f"env-{key}"
    python = env / "bin" / "python"
    stamp = env / ".complete"
    if not stamp.exists():
        shutil.rmtree(env, ignore_errors=True)
        for old in ENV_PARENT.glob("env-*"):  # environments of earlier pin lists
            shutil.rmtree(old, ignore_errors=True)
        ENV_PARENT.mkdir(parents=True, exist_ok=True)
        os.chmod(ENV_PARENT, 0o755)
        _run([SYSTEM_PYTHON, "-m", "venv", env], timeout=120)
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], timeout=300)
        _run([python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS, JUPYTERHUB], timeout=900)
        stamp.write_text(json.dumps({"requirements": str(REQUIREMENTS), "python": SYSTEM_PYTHON}))
    # Non-editable, from a copy: the environment must not point into this checkout (or /root).
    build = Path(_run(["mktemp", "-d", "/tmp/nnkit-build-XXXXXX"]).stdout.strip())
    try:
        for name in ("nnkit", "pyproject.toml", "README.md"):
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, build / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(source, build / name)
        _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", build], timeout=300)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    _run(["chmod", "-R", "a+rX,go-w", env])
    return env


# ----- Unix users --------------------------------------------------------------------------------

def _pids_of(uid):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
    return pids


def stop_processes_of(uid, grace=5.0):
    """SIGTERM, then SIGKILL, each process running as `uid` (a test user), by PID."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in _pids_of(uid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while _pids_of(uid) and time.monotonic() < deadline:
            time.sleep(0.2)


@contextlib.contextmanager
def unix_users(*roles):
    """{role: pwd entry} of new Unix users `<prefix>-<role>`, homes 0700; removed afterwards."""
    prefix = "nk" + secrets.token_hex(3)
    created = {}
    try:
        for role in roles:
            name = f"{prefix}-{role}"
            _run(["useradd", "--create-home", "--key", "HOME_MODE=0700", "--shell", "/bin/bash", name])
            created[role] = pwd.getpwnam(name)
        yield created
    finally:
        for user in created.values():
            stop_processes_of(user.pw_uid)
            subprocess.run(["userdel", "--remove", user.pw_name], capture_output=True, check=False)


def as_user(user, env_dir, argv, cwd=None, timeout=COMMAND_TIMEOUT, check=True):
    """Run argv as `user` (a pwd entry) in their home with the shared environment first on PATH."""
    env = {"HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name, "LANG": "C.UTF-8",
           "PATH": f"{env_dir / 'bin'}:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": str(env_dir)}
    result = subprocess.run([str(a) for a in argv], cwd=cwd or user.pw_dir, env=env, user=user.pw_uid,
                            group=user.pw_gid, extra_groups=[], capture_output=True, text=True,
                            timeout=timeout, check=False)
    if check and result.returncode:
        raise RuntimeError(f"as {user.pw_name}: {' '.join(map(str, argv))} exited {result.returncode}:\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result


# ----- the hub -----------------------------------------------------------------------------------

HUB_CONFIG = '''\
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{state}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = ["{env}/bin/jupyterhub-singleuser"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
# window.jupyterapp, so the test can save a notebook through the student's own server;
# MathJax from the server itself (nnkit/course/feedback.py), not a CDN.
c.Spawner.args = ["--LabApp.expose_app_in_browser=True", *{server_options!r}]
c.Spawner.environment = {{"PATH": "{env}/bin:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": "{env}",
                         "JUPYTER_PATH": {jupyter_path!r}}}
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.cleanup_servers = True
'''


def installed_jupyter_data(env_dir):
    """nnkit.course.feedback.JUPYTER_DATA as installed in the users' environment."""
    code = "from nnkit.course.feedback import JUPYTER_DATA; print(JUPYTER_DATA)"
    return _run([Path(env_dir) / "bin" / "python", "-c", code]).stdout.strip()


class Hub:
    """JupyterHub from `env_dir`, state and log in `state_dir`, for `users`. A context manager."""

    def __init__(self, env_dir, state_dir, users):
        self.env_dir = Path(env_dir)
        self.state_dir = Path(state_dir)
        self.users = sorted(users)
        self.password = secrets.token_hex(8)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / "jupyterhub.log"
        self.process = None

    def __enter__(self):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        config = self.state_dir / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), proxy_api_port=free_port(), state=self.state_dir,
            password=self.password, users=set(self.users), env=self.env_dir,
            server_options=SERVER_OPTIONS, jupyter_path=installed_jupyter_data(self.env_dir)))
        env = {"PATH": f"{self.env_dir / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "HOME": str(self.state_dir)}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([str(self.env_dir / "bin" / "jupyterhub"), "-f", str(config)],
                                            cwd=self.state_dir, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=60):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _wait_until_ready(self):
        deadline = time.monotonic() + HUB_STARTUP
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/health", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        raise RuntimeError(f"jupyterhub not ready after {HUB_STARTUP} s:\n{self.log_tail()}")

    def stop(self):
        """SIGTERM the hub by PID (it stops the users' servers and its proxy), then its group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
