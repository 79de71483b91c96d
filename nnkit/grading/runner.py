"""Inside the sandbox: run one submission's cells in a Jupyter kernel, write what happened.

    python -m nnkit.grading.runner /scratch

Reads /scratch/job.json ({"cells": [{"key", "kind", "source"}], "start", "replay", "skip",
"timeout", "max_output"}) and deletes it, then runs the cells in order in a fresh kernel. If
`replay`, cells before `start` are run again silently (a restarted kernel needs their state),
except test cells and the cells in `skip` (they killed an earlier kernel). For every cell from `start` on it appends one
JSON line to /scratch/progress.jsonl: {"key", "status": ok|error|timeout|died, "outputs",
"answers"}. A cell that times out or kills the kernel is the last line: the trusted side starts a
new sandbox after it. Nothing here is trusted: the trusted side validates every line.
"""
import ctypes
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .answers import MIME

MAX_OUTPUTS = 30


class CappedClient(NotebookClient):
    """nbclient that keeps at most `max_output` characters of output per cell."""

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        is_answer = msg.get("msg_type") == "display_data" and MIME in content.get("data", {})
        size = self.sizes.get(cell_index, 0) + (0 if is_answer else len(json.dumps(content)))
        if size > self.max_output or len(outs) >= MAX_OUTPUTS:
            if not self.capped.get(cell_index):
                self.capped[cell_index] = True
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text=f"[output cut: more than {self.max_output} characters]\n"))
            return None
        self.sizes[cell_index] = size
        return super().output(outs, msg, display_id, cell_index)


def _split(outputs):
    answers = [o["data"][MIME] for o in outputs if o.get("output_type") == "display_data" and MIME in o.get("data", {})]
    others = [o for o in outputs if not (o.get("output_type") == "display_data" and MIME in o.get("data", {}))]
    return others, answers


def main(scratch):
    job_path = os.path.join(scratch, "job.json")
    with open(job_path) as file:
        job = json.load(file)
    os.remove(job_path)                       # the kernel never sees the job (it holds the hidden inputs)
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)    # PR_SET_DUMPABLE 0: the kernel cannot read this process
    cells = [nbformat.v4.new_code_cell(c["source"]) for c in job["cells"]]
    notebook = nbformat.v4.new_notebook(cells=cells)
    client = CappedClient(notebook, timeout=job["timeout"], kernel_name="python3", allow_errors=True,
                          interrupt_on_timeout=False, resources={"metadata": {"path": scratch}})
    client.max_output, client.sizes, client.capped = job["max_output"], {}, {}
    progress = open(os.path.join(scratch, "progress.jsonl"), "a")
    with client.setup_kernel():
        for index, (cell, spec) in enumerate(zip(cells, job["cells"])):
            replay = index < job["start"]
            if replay and (not job["replay"] or spec["kind"] == "test" or spec["key"] in job["skip"]):
                continue
            try:
                client.execute_cell(cell, index)
                status = "error" if any(o.get("output_type") == "error" for o in cell.outputs) else "ok"
            except CellTimeoutError:
                status = "timeout"
            except DeadKernelError:
                status = "died"
            if replay and status in ("ok", "error"):
                continue
            outputs, answers = _split(cell.outputs)
            line = {"key": spec["key"], "status": status, "outputs": outputs, "answers": answers}
            progress.write(json.dumps(line) + "\n")
            progress.flush()
            if status in ("timeout", "died"):
                os._exit(3)                   # the kernel may be stuck: let the sandbox end it


if __name__ == "__main__":
    main(sys.argv[1])
