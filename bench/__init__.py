"""Benchmarks of the portal (DESIGN.md §6): ``python -m bench`` (``make bench``).

Each figure is a ratio against a reference measured in the same run (the same data at another
scale, a naive scan, raw SQL, a plain bulk insert). Results are printed as a table and saved as
JSON in ``bench/out/``. Tests never assert timings; ``tests/bench`` only checks the data
generator at a tiny scale.
"""
