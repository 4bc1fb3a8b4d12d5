"""Test support: the emulator-side helpers, the Pulumi CLI runner (cli.py, for e2e tests only), the
test-only language host, and fakes. The dynamic-plugin harness is its own package, tests/harness."""
