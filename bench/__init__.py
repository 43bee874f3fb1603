"""Benchmarks: ``make bench`` (see run.py). Nothing here is imported by the app."""
