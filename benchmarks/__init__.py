"""Benchmarks of wsitest-steps against raw websocket-client and pywsitest: ``python -m benchmarks``."""
