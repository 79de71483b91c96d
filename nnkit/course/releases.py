"""Releasing one assignment at a time, idempotently.

`release` compares the course's release/<a>/ with what students can fetch now (the exchange's
outbound/<a>/): not there yet -> release it; the same files -> nothing to do (running it again
is safe); different files (the notebook was changed and generated again) -> refuse unless
--force, because students who already fetched keep their old copy.
"""
import hashlib
from pathlib import Path


def _files(folder):
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def release_state(release_dir, outbound_dir):
    """'new', 'same' or 'changed'."""
    if not Path(outbound_dir).is_dir():
        return "new"
    return "same" if _files(release_dir) == _files(outbound_dir) else "changed"
