"""The report formatters, at the path users give behave: ``-f wsitest_steps.report:HTMLFormatter``."""

from .reporting.formatters import HTMLFormatter, MermaidFormatter

__all__ = ["HTMLFormatter", "MermaidFormatter"]
