"""PyHamcrest matchers for frames and JSON values, and the expectation vocabulary."""
