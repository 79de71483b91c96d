"""python -m benchmarks.playground [--quick]: how quickly the playgrounds answer.

- Backprop playground: the time from setting one slider's value to the finished update (numbers
  from nnkit, the diagram restyled and redrawn on the Agg canvas, the PNG handed to the Image
  widget). No two updates show the same numbers, as in a real drag: the playground keeps
  rasterised text lines, and a repeated value must not make it look faster than it is.
  Target: median < 50 ms.
- Classification playground: the time of one training frame (epochs_per_frame epochs of
  nnkit.fit, the decision boundary and loss curve redrawn, the PNG handed over). Target: median
  < 200 ms.

Both wall-clock (time.perf_counter) and CPU time of this process (time.process_time) are
reported: on a shared machine the wall time also counts the time other processes held the CPU.
The reference, measured in the same run, is a full redraw of the same figure (savefig to PNG, on
the playground's own canvas, so with the same text drawing): the ratio says what blitting and
restyling in place save, whatever the machine's load.
"""
import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from nnkit.widgets import BackpropPlayground, ClassificationPlayground  # noqa: E402

TARGETS_MS = {"backprop slider change": 50.0, "classification frame": 200.0}


def _measure(action, n, warmup=3):
    """Median and 90th percentile of wall and CPU milliseconds over `n` calls of action(i)."""
    for i in range(warmup):
        action(i)
    wall, cpu = [], []
    for i in range(n):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        action(warmup + i)
        wall.append(1000 * (time.perf_counter() - start_wall))
        cpu.append(1000 * (time.process_time() - start_cpu))
    def p90(values):
        return sorted(values)[int(0.9 * (len(values) - 1))]
    return {"median_ms": round(statistics.median(wall), 1), "p90_ms": round(p90(wall), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "samples": n}


def backprop_slider_change(n):
    """Move the sliders one at a time through a fixed cycle of names and values, each cycle of
    values 0.01 higher than the last, so that no state repeats."""
    playground = BackpropPlayground()
    names = ["w1", "w5", "b1", "x2", "w8", "t1", "w3", "b2"]
    values = [0.35, -0.8, 1.2, 0.05, -1.5, 0.6, 2.1]

    def change(i):
        name = names[i % len(names)]
        value = round(values[i % len(values)] + 0.01 * (i // len(values)), 2)
        playground.sliders[name].value = value if name[0] != "t" else abs(value) % 1
    return _measure(change, n)


def full_redraw(picture, n):
    """The reference: drawing the same figure from scratch and encoding it (savefig), which is
    what a playground without blitting and in-place restyling would do on every change."""
    def redraw(i):
        picture.figure.savefig(io.BytesIO(), format="png")
    return _measure(redraw, n)


def backprop_step(n):
    playground = BackpropPlayground()
    return _measure(lambda i: playground.step(), n)


def classification_frame(n, **settings):
    playground = ClassificationPlayground(**settings)
    return _measure(lambda i: playground.train_frames(1), n)


def main(quick=False):
    """Run the measurements, print a table and return {measurement: numbers}."""
    n = 12 if quick else 60
    results = {
        "backprop slider change": backprop_slider_change(n),
        "backprop full redraw (reference)": full_redraw(BackpropPlayground().diagram, n // 2),
        "backprop Step button": backprop_step(n // 2),
        "classification frame": classification_frame(n // 2, dataset="moons", hidden="4, 4"),
        "classification full redraw (reference)": full_redraw(ClassificationPlayground().picture, n // 2),
        "classification frame (spirals, 8, 8 relu)": classification_frame(
            n // 2, dataset="spirals", hidden="8, 8", activation="relu"),
    }
    for kind in ("backprop", "classification"):
        update = results[f"{kind} slider change" if kind == "backprop" else f"{kind} frame"]
        update["ratio_to_full_redraw"] = round(
            update["median_ms"] / results[f"{kind} full redraw (reference)"]["median_ms"], 2)
    print(f"{'playground measurement':44} {'median':>9} {'p90':>9} {'CPU med.':>9}  target / ratio to full redraw")
    for name, r in results.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"< {target:.0f} ms " + ("ok" if r["median_ms"] < target else "MISSED")
        ratio = f" ({r['ratio_to_full_redraw']:.2f}× a full redraw)" if "ratio_to_full_redraw" in r else ""
        print(f"{name:44} {r['median_ms']:7.1f}ms {r['p90_ms']:7.1f}ms {r['cpu_median_ms']:7.1f}ms  {verdict}{ratio}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    main(quick=parser.parse_args().quick)
