"""Benchmarks: nnkit against a hand-written numpy reference (torch and micrograd for information),
and the figures users feel: notebook run time, playground latency, grading time per submission.

Run `python -m benchmarks` (full, by hand) or `python -m benchmarks --quick` (the CI smoke run).
Optional dependencies: `pip install -r benchmarks/requirements.txt` (torch, micrograd).
"""
