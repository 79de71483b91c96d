"""Benchmarks: nnkit against a hand-written numpy reference, micrograd and PyTorch.

Run `python -m benchmarks` (full, by hand) or `python -m benchmarks --quick` (the CI smoke run).
Optional dependencies: `pip install -r benchmarks/requirements.txt` (torch, micrograd).
"""
