"""The pin list binder/requirements.txt: make it, and check it installs on every supported Python.

    python tools/lock.py write            resolve pyproject.toml's dependencies for each Python in
                                          RESOLVE_FOR and merge them into binder/requirements.txt
    python tools/lock.py check [VERSION…] resolve binder/requirements.txt for each Python (default:
                                          SUPPORTED) and fail if a pin is missing or cannot install

Both use pip's own resolver for a Python other than the one running (`--python-version` with
`--dry-run --report`), so no interpreter of that version is needed. A pin that differs between the
resolutions is written twice, each with a `python_version` marker; pip picks the right one at
install time.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "binder" / "requirements.txt"
# The oldest Python and Debian 12's own (the newest nbgrader needs 3.11, so these two differ),
# each with what it must be held to: nbgrader 0.9.5's lab extension (the newest for 3.10) needs
# @jupyter/ydoc 2, which JupyterLab 4.3 and later no longer provide.
RESOLVE_FOR = {"3.10": ["jupyterlab<4.3", "notebook<7.3"], "3.11.2": []}
# What the README promises: the lock must install on each.
SUPPORTED = ("3.10", "3.11.2", "3.12", "3.13")
EXTRAS = ("lab", "grading", "test")
HEADER = """\
# The one list of exact versions. Every setup path installs from it:
#   make setup / make lab / make test  (pip install -r binder/requirements.txt)
#   Binder (repo2docker reads binder/requirements.txt, then runs binder/postBuild)
#   the JupyterHub test's shared environment (built with Debian's /usr/bin/python3)
# Resolved for Python {resolved} and merged: a version that differs carries a python_version
# marker. tests/test_install.py checks that it resolves on {supported}.
# Regenerate with: make lock  (python tools/lock.py write)
"""


def resolve(requirements, version):
    """{name: version} that pip would install for `requirements` on Python `version`."""
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp, "requirements.in")
        listed.write_text("\n".join(requirements) + "\n")
        report = Path(tmp, "report.json")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
             "--only-binary=:all:", "--python-version", version, "--target", str(Path(tmp, "t")),
             "--report", str(report), "-r", str(listed)],
            capture_output=True, text=True, check=False, env=_index_only())
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
            raise SystemExit(f"pip cannot resolve for Python {version}:\n" + "\n".join(errors))
        installs = json.loads(report.read_text())["install"]
    return {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"] for i in installs}


def _index_only():
    """pip's environment with no config files and no local wheel folders: only the package index.

    A wheel found through --find-links is taken without its Requires-Python being checked in a
    --dry-run for another Python, so a machine's local wheel folder would make a lock that fails
    to install elsewhere.
    """
    environment = {k: v for k, v in os.environ.items() if k not in ("PIP_FIND_LINKS", "PIP_CONSTRAINT")}
    return dict(environment, PIP_CONFIG_FILE=os.devnull)


def pins_for(version, lock=LOCK):
    """The lock's requirement lines that apply on Python `version` (markers evaluated for it)."""
    environment = dict(default_environment(), python_version=".".join(version.split(".")[:2]),
                       python_full_version=version if version.count(".") == 2 else version + ".0")
    lines = [line.strip() for line in lock.read_text().splitlines()]
    requirements = [Requirement(line) for line in lines if line and not line.startswith("#")]
    return [f"{r.name}{r.specifier}" for r in requirements if r.marker is None or r.marker.evaluate(environment)]


def write():
    import tomllib   # Python 3.11+: `make lock` is a maintainer's command, run in .venv
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for extra in EXTRAS for d in project["optional-dependencies"][extra]]
    resolved = {version: resolve(wanted + held, version) for version, held in RESOLVE_FOR.items()}
    older, newer = RESOLVE_FOR
    lines = []
    for name in sorted(set().union(*resolved.values())):
        versions = {v: found.get(name) for v, found in resolved.items()}
        if len(set(versions.values())) == 1:
            lines.append(f"{name}=={versions[older]}")
            continue
        # two resolutions: below the newer minor version, and from it on
        minor = ".".join(newer.split(".")[:2])
        if versions[older]:
            lines.append(f'{name}=={versions[older]} ; python_version < "{minor}"')
        if versions[newer]:
            lines.append(f'{name}=={versions[newer]} ; python_version >= "{minor}"')
    LOCK.write_text(HEADER.format(resolved=" and ".join(RESOLVE_FOR), supported=", ".join(SUPPORTED))
                    + "\n".join(lines) + "\n")
    print(f"{LOCK.relative_to(ROOT)}: {len(lines)} pins")


def _check_one(version):
    """None if the lock resolves to exactly its own pins on Python `version`, else what is wrong."""
    pins = pins_for(version)
    try:
        resolved = resolve(pins, version)
    except SystemExit as error:
        return str(error)
    pinned = {canonicalize_name(Requirement(p).name) for p in pins}
    extra = sorted(set(resolved) - pinned)
    if extra:
        return f"Python {version}: the lock misses {', '.join(extra)} (pip would add them unpinned)"
    print(f"Python {version}: {len(pins)} pins resolve")
    return None


def check(versions):
    """Exit non-zero unless the lock resolves on each version (checked side by side: pip waits on
    the index, not the processor)."""
    with ThreadPoolExecutor(max_workers=len(versions)) as pool:
        failures = [f for f in pool.map(_check_one, versions) if f]
    if failures:
        raise SystemExit("\n".join(failures))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("versions", nargs="*", default=list(SUPPORTED))
    args = parser.parse_args(argv)
    write() if args.command == "write" else check(args.versions)


if __name__ == "__main__":
    main()
