"""python -m benchmarks.playground [--quick] [--no-browser]: how quickly the playgrounds answer.

Kernel side (this process):
- Backprop slider update: a person's move as it arrives from the browser (`{do: "move"}`): nnkit
  forward/backward, the numbers for the view and the step-through, and the state message
  serialized and signed as the kernel sends it (jupyter_client's Session.serialize; only the
  socket write is left out). No two updates show the same numbers, as in a real drag.
  Target: median < 1 ms.
- Backprop Step button, and a classification frame (epochs_per_frame epochs of nnkit.fit, the
  prediction grid, the message with the grid as a binary buffer).

End to end (real chromium driving JupyterLab, as tests/browser_support.py starts them):
- Backprop: from a slider's input event to the diagram repainted with the kernel's answer
  (message to the kernel, the update, the message back, the SVG restyled, the next frame
  painted), measured in the page with performance.now(). Target: median < 30 ms, p90 < 50 ms.
- Classification: the time between two paints of a new frame while training (a frame of
  nnkit.fit, the grid sent, the canvas painted, the kernel's 10 ms pause between frames; two
  frames painted together count once). Target < 50 ms.
Both are measured on a server with nnkit.widgets.nodelay (small messages sent at once), and
again on jupyter_server's defaults, where every kernel reply waits ~40 ms for a TCP ACK.

Wall-clock (time.perf_counter) and CPU time of this process (time.process_time) are reported: on
a shared machine the wall time also counts the time other processes held the CPU. The PNG path
of before (matplotlib redrawing a figure per update, 23.5 ms median) is gone; docs/performance.md
gives both.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.session import Session

from nnkit.widgets import BackpropPlayground, ClassificationPlayground
from nnkit.widgets.nodelay import SERVER_ARGS as NODELAY_ARGS

TARGETS_MS = {"backprop slider update (kernel)": (1.0, None),
              "backprop slider → diagram painted (chromium)": (30.0, 50.0),
              "classification frame (chromium)": (50.0, None)}


def _summary(times_ms, cpu_ms=None):
    ordered = sorted(times_ms)
    result = {"median_ms": round(statistics.median(ordered), 3),
              "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 3), "samples": len(ordered)}
    if cpu_ms is not None:
        result["cpu_median_ms"] = round(statistics.median(cpu_ms), 3)
    return result


def _measure(action, n, warmup=5):
    """Median and 90th percentile of wall and CPU milliseconds over `n` calls of action(i)."""
    for i in range(warmup):
        action(i)
    wall, cpu = [], []
    for i in range(n):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        action(warmup + i)
        wall.append(1000 * (time.perf_counter() - start_wall))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return _summary(wall, cpu)


def sending_like_a_kernel(widget):
    """Make the widget's comm serialize and sign each message as ipykernel does (and keep the
    last one's size), instead of dropping it as the comm outside a kernel does."""
    session, sizes = Session(key=b"benchmark"), []

    def send(data=None, metadata=None, buffers=None):
        message = session.msg("comm_msg", {"comm_id": widget.comm.comm_id, "data": data}, metadata=metadata)
        parts = session.serialize(message)
        sizes.append(sum(map(len, parts)) + sum(len(memoryview(b).cast("B")) for b in buffers or []))
    widget.comm.send = send
    return sizes


def backprop_slider_update(n):
    """A person's moves, one slider after another, each value new."""
    playground = BackpropPlayground()
    sizes = sending_like_a_kernel(playground)
    names = ["w1", "w5", "b1", "x2", "w8", "t1", "w3", "b2"]

    def move(i):
        name, value = names[i % len(names)], round(-3 + 0.01 * i, 2)
        playground._on_browser_message(playground, {"do": "move", "name": name,
                                                    "value": abs(value) % 1 if name[0] == "t" else value}, [])
    result = _measure(move, n)
    return {**result, "message_bytes": sizes[-1]}


def backprop_step(n):
    playground = BackpropPlayground()
    sending_like_a_kernel(playground)
    return _measure(lambda i: playground._on_browser_message(playground, {"do": "step"}, []), n)


def classification_frame(n, **settings):
    playground = ClassificationPlayground(**settings)
    sizes = sending_like_a_kernel(playground)
    result = _measure(lambda i: playground.train_frames(1), n)
    return {**result, "message_bytes": sizes[-1]}


# --- end to end in chromium ---------------------------------------------------------------------

SLIDER_TO_PAINT_JS = """async (n) => {
  const area = [...document.querySelectorAll('.nnkit-playground')].find(e => e.querySelector('.nnkit-diagram'));
  const input = area.querySelector('input[data-name=w7]'), svg = area.querySelector('.nnkit-diagram');
  const painted = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  const times = [];
  for (let i = 0; i < n; i++) {
    const before = svg.dataset.l;
    const redrawn = new Promise(done => {
      const watch = new MutationObserver(() => { if (svg.dataset.l !== before) { watch.disconnect(); done(); } });
      watch.observe(svg, { attributes: true });
    });
    const start = performance.now();
    input.value = (-3.5 + 0.07 * (i % 100)).toFixed(2);          // a new value every time
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await redrawn;
    await painted();
    times.push(performance.now() - start);
    await new Promise(done => setTimeout(done, 30));            // a person's drag is not faster
  }
  return times;
}"""

FRAMES_JS = """async (n) => {
  const area = [...document.querySelectorAll('.nnkit-playground')].find(e => e.querySelector('.nnkit-boundary'));
  const painted = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  const stamps = [];
  await new Promise(done => {
    const watch = new MutationObserver(async () => {
      await painted();
      stamps.push(performance.now());
      if (stamps.length > n) { watch.disconnect(); done(); }
    });
    watch.observe(area, { attributes: true, attributeFilter: ['data-epoch'] });
    area.querySelector('button[data-do=train]').click();
  });
  area.querySelector('button[data-do=pause]').click();
  // Two frames that arrive together are painted together: count that paint once.
  const paints = stamps.filter((t, i) => i === 0 || t - stamps[i - 1] > 1);
  return paints.slice(1).map((t, i) => t - paints[i]);
}"""


def browser_latency(n, server_args=(), label=""):
    """Both playgrounds in a notebook in JupyterLab, driven in chromium; {} without chromium."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import nbformat
    from browser_support import CHROMIUM, LAB_TEST_ARGS, LabPage, LabServer, chromium
    if not Path(CHROMIUM).exists():
        print(f"no chromium at {CHROMIUM}: the end-to-end measurements are left out")
        return {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch, "root")
        root.mkdir()
        cells = ["import nnkit.widgets\nnnkit.widgets.BackpropPlayground()",
                 "nnkit.widgets.ClassificationPlayground(epochs_per_frame=5)"]
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, root / "playgrounds.ipynb")
        server = LabServer(sys.executable, root, Path(scratch, "state"), extra_args=LAB_TEST_ARGS + list(server_args))
        with server, chromium() as browser:
            lab = LabPage(browser.new_page(viewport={"width": 1280, "height": 1400}), server, "benchmark")
            lab.open("playgrounds.ipynb")
            lab.run_all()
            lab.page.locator(".nnkit-diagram").wait_for(state="visible", timeout=60_000)
            lab.page.evaluate(SLIDER_TO_PAINT_JS, 10)                   # warm up
            slider = lab.page.evaluate(SLIDER_TO_PAINT_JS, n)
            lab.page.locator(".nnkit-boundary").scroll_into_view_if_needed()
            frames = lab.page.evaluate(FRAMES_JS, n)
    return {f"backprop slider → diagram painted (chromium{label})": _summary(slider),
            f"classification frame (chromium{label})": _summary(frames)}


def main(quick=False, browser=True):
    """Run the measurements, print a table and return {measurement: numbers}."""
    n = 20 if quick else 200
    results = {
        "backprop slider update (kernel)": backprop_slider_update(n),
        "backprop Step button (kernel)": backprop_step(n // 2),
        "classification frame (kernel)": classification_frame(n // 4, dataset="moons", hidden="4, 4"),
        "classification frame, spirals 8, 8 relu (kernel)": classification_frame(
            n // 4, dataset="spirals", hidden="8, 8", activation="relu"),
    }
    if browser:
        results.update(browser_latency(20 if quick else 100, NODELAY_ARGS))
        results.update(browser_latency(20 if quick else 100, label=", jupyter_server defaults"))
    print(f"{'playground measurement':52} {'median':>10} {'p90':>10}  target")
    for name, r in results.items():
        median_target, p90_target = TARGETS_MS.get(name, (None, None))
        verdict = "" if median_target is None else \
            f"median < {median_target:g} ms " + ("ok" if r["median_ms"] < median_target else "MISSED")
        if p90_target is not None:
            verdict += f", p90 < {p90_target:g} ms " + ("ok" if r["p90_ms"] < p90_target else "MISSED")
        print(f"{name:52} {r['median_ms']:8.3f}ms {r['p90_ms']:8.3f}ms  {verdict}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--no-browser", action="store_true", help="kernel side only (no chromium, no JupyterLab)")
    arguments = parser.parse_args()
    main(quick=arguments.quick, browser=not arguments.no_browser)
