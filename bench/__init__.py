"""Benchmarks: each measures Gridbook next to a reference run in the same process."""
