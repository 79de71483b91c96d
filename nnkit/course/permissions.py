"""Modes on a shared machine: students may do what nbgrader's exchange needs, and nothing more.

What nbgrader's own exchange code (nbgrader/exchange/default/) creates and checks, and what the
kit sets instead where nbgrader's choice lets one student reach another's work:

    <exchange>/                1777  nbgrader requires rwx for everyone; the sticky bit (which its
                                     check ignores) stops anyone renaming or removing a course
    <exchange>/<course id>/    0755  owned by the instructor (created by `init`, before any student
                                     could create it first)
        outbound/              0755  released assignments: everyone reads
        inbound/               3733  everyone creates a submission folder but cannot list the
                                     folder (names hold a random part) nor, with the sticky bit,
                                     remove another's; setgid: the instructor's group
        feedback/              0711  a feedback file is reached only by its notebook's hash
    <course directory>         0700  solutions, hidden tests, gradebook, every submission
    <course>/submitted/**      no group or other write: nbgrader copies the inbound folders,
                                     which it makes 0777, and `collect` takes that back
"""
import os
import pwd
import stat
from pathlib import Path

COURSE_DIR_MODE = 0o700
EXCHANGE_ROOT_MODE = 0o1777
COURSE_FOLDER_MODES = {".": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def owner(path):
    uid = os.stat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def create_course_dir(root):
    """Make the course directory (mode 0700); tighten an existing one."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, COURSE_DIR_MODE)


def create_exchange(exchange, course_id):
    """Make <exchange>/ (1777) and the course's folders in it with the modes above."""
    exchange = Path(exchange)
    if not exchange.exists():
        try:
            exchange.mkdir(parents=True)
            os.chmod(exchange, EXCHANGE_ROOT_MODE)
        except PermissionError as error:
            raise PermissionError(f"cannot create the exchange {exchange} ({error.strerror}); an "
                                  f"administrator creates it once: sudo install -d -m 1777 {exchange}") from error
    for name, wanted in COURSE_FOLDER_MODES.items():
        folder = exchange / course_id / name
        folder.mkdir(exist_ok=True)
        if os.stat(folder).st_uid != os.geteuid():
            raise PermissionError(f"{folder} belongs to {owner(folder)}, not to you: someone created it "
                                  "before the course was set up; an administrator should remove it")
        os.chmod(folder, wanted)


def lock_submitted(root):
    """Remove group and other write from everything under <course>/submitted/ (modes only)."""
    submitted = Path(root) / "submitted"
    if not submitted.exists():
        return
    for path in [submitted, *submitted.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, mode(path) & ~0o022)


def problems(root, exchange, course_id):
    """[(path, what is wrong, how to fix it)] for the modes above; [] when all is as it should be."""
    found = []
    root, exchange = Path(root), Path(exchange)
    if root.is_dir() and mode(root) & 0o077:
        found.append((root, f"mode {mode(root):o}: other users can reach solutions and submissions",
                      f"chmod 700 {root}"))
    writable = [p for p in [root / "submitted", *(root / "submitted").rglob("*")]
                if p.exists() and not p.is_symlink() and mode(p) & 0o022]
    if writable:
        found.append((writable[0], f"{len(writable)} collected file(s)/folder(s) writable by others",
                      f"chmod -R go-w {root / 'submitted'} (collect does this)"))
    if not exchange.is_dir():
        found.append((exchange, "missing", f"sudo install -d -m 1777 {exchange}, then init"))
        return found
    if mode(exchange) != EXCHANGE_ROOT_MODE:
        found.append((exchange, f"mode {mode(exchange):o}, expected 1777 (everyone may create a course "
                      "folder, nobody may remove another's)", f"sudo chmod 1777 {exchange}"))
    for name, wanted in COURSE_FOLDER_MODES.items():
        folder = exchange / course_id / name
        if not folder.is_dir():
            found.append((folder, "missing", "python -m nnkit.course init (creates it)"))
        elif mode(folder) != wanted:
            found.append((folder, f"mode {mode(folder):o}, expected {wanted:o}", f"chmod {wanted:o} {folder}"))
        elif root.exists() and os.stat(folder).st_uid != os.stat(root).st_uid:
            found.append((folder, f"owned by {owner(folder)}, not by the course's owner {owner(root)}",
                          "an administrator removes it, then run init"))
    return found
