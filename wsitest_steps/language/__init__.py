"""The words of steps turned into values, matchers, messages and options."""
