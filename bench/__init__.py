"""Benchmarks of the office: start-up, snapshots, fan-out, turn overhead and memory (``python -m bench``)."""
