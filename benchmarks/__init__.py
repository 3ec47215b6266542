"""Benchmarks: Garrison measured side by side with a reference in one run (`python -m benchmarks`)."""
