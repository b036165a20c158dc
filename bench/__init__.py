"""Benchmarks (``make bench``): numbers for the notes, never timed assertions in tests."""
