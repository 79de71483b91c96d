"""Clean logs: nbgrader's known-harmless messages hidden, every other line kept.

Grading a class prints, for every submission, messages that are expected and say nothing about
it, and they drown the real errors:

- "Attribute 'checksum' for cell nb01-...-tests has changed!": the release copy of a test cell
  lacks its hidden tests, so its checksum differs for every student; nbgrader puts the
  instructor's cell back before grading (the kit's report flags cells a student really edited);
- "Kernel is running over TCP without encryption": the grading kernel on the grader's loopback;
- SQLAlchemy's "Object of type <Submitted...> not in session" warnings from nbgrader's gradebook.

`quiet_known_noise()` wraps a command: the process's stderr (file descriptor 2, so kernels and
subprocesses are covered too) goes through `is_noise`; at the end one line says how many were
hidden. NNKIT_VERBOSE=1 shows everything.
"""
import contextlib
import os
import re
import sys
import threading
import warnings

NOISE = [
    re.compile(r"Attribute 'checksum' for cell \S+ has changed!"),
    re.compile(r"Kernel is running over TCP without encryption"),
    re.compile(r"SAWarning: Object of type <Submitted\w*> not in session"),
]
# The lines that follow a hidden warning and belong to it (the source line `warnings` prints).
CONTINUATION = re.compile(r"^\s+\S")


def is_noise(line):
    return any(pattern.search(line) for pattern in NOISE)


@contextlib.contextmanager
def quiet_known_noise(stream_fd=2):
    """Filter file descriptor `stream_fd` (stderr) line by line while the block runs."""
    if os.environ.get("NNKIT_VERBOSE") == "1":
        yield
        return
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w*> not in session")
    sys.stderr.flush()
    original = os.dup(stream_fd)
    read_end, write_end = os.pipe()
    os.dup2(write_end, stream_fd)
    os.close(write_end)
    hidden = [0]

    def pump():
        skipping = False
        with os.fdopen(read_end, "r", errors="replace") as lines, os.fdopen(os.dup(original), "w") as out:
            for line in lines:
                if is_noise(line):
                    hidden[0] += 1
                    skipping = True
                elif not (skipping and CONTINUATION.match(line)):
                    skipping = False
                    out.write(line)
                    out.flush()

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(original, stream_fd)  # closes the pipe's last write end: the pump sees EOF
        thread.join(timeout=10)
        os.close(original)
        if hidden[0]:
            print(f"({hidden[0]} known-harmless nbgrader message(s) hidden; NNKIT_VERBOSE=1 shows them)",
                  file=sys.stderr)
