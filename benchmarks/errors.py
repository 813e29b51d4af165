"""Errors of the benchmarks: each message names the bad value and what to do instead."""


class BenchmarkError(Exception):
    """A benchmark cannot run as asked: a bad scale, a database already filled, a failed child process."""
