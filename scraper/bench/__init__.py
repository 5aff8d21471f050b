"""Benchmarks: the normaliser against the gold set, side by side with other tools."""
