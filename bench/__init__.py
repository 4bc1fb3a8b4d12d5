"""Benchmarks of pulumi-descope-dynamic (issue 6): `python -m bench [NAME ...] [--quick]` prints one
JSON object per line and writes the same lines to bench/results.jsonl. See bench/README.md."""
