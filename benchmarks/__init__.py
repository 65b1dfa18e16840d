"""Benchmarks: `python -m benchmarks` (or `make bench`) runs every `bench_*.py` module here.

Each module exposes `run(quick: bool) -> list[dict]`, rows built with `common.row(...)`, and
measures its own baseline in the same run (SQLite FTS5, a naive loop, ...). Never part of `make test`.
"""
