"""Benchmarks (run as scripts); speech_eval is shared with the tests."""
