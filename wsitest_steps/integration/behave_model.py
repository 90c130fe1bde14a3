"""The only module that reads behave's model objects beyond its documented step API.

behave documents ``context.table``, ``context.text``, ``context.config.userdata`` and
``context.add_cleanup`` for steps; everything else used here (``scenario.all_steps``, a step's
``status`` and ``error_message``, ``feature.filename``, the "untested" status of steps not run
yet) is behave's model as 1.2.6 and 1.3.x both have it, pinned by ``tests/test_behave_model.py``
on both. Objects are typed ``Any`` on purpose: behave ships no type information.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Mapping
from typing import Any

#: The prefixes behave puts before an assertion's text in ``step.error_message`` (1.3, 1.2.6).
_ERROR_PREFIXES = ("ASSERT FAILED: ", "Assertion Failed: ")
_FAILED = ("failed", "error")


def userdata(context: Any) -> Mapping[str, Any]:
    """The run's userdata (``-D key=value`` and ``[behave.userdata]``)."""
    data: Mapping[str, Any] = context.config.userdata
    return data


def current_scenario(context: Any) -> Any:
    """The scenario running now, or ``None`` outside one."""
    return getattr(context, "scenario", None)


def add_cleanup(context: Any, cleanup: Callable[..., None], *args: Any) -> None:
    """Run ``cleanup(*args)`` when the current layer (here: the scenario) ends, failed or not."""
    context.add_cleanup(cleanup, *args)


def doc_string(context: Any) -> str | None:
    """The running step's doc string, if it has one."""
    text = getattr(context, "text", None)
    return text if isinstance(text, str) else None


def table_rows(context: Any) -> list[list[str]] | None:
    """The running step's table as rows of cells, headings first, or ``None``."""
    table = getattr(context, "table", None)
    if table is None:
        return None
    return [list(table.headings), *(list(row.cells) for row in table.rows)]


def feature_file(context: Any) -> str | None:
    """The path of the running feature's file."""
    feature = getattr(context, "feature", None)
    name = getattr(feature, "filename", None)
    return name if isinstance(name, str) else None


def steps_of(scenario: Any) -> list[Any]:
    """Every step of ``scenario``, background steps included, in order."""
    return list(getattr(scenario, "all_steps", None) or [])


def status_of(model: Any) -> str:
    """behave's status of a step or scenario as a word: passed, failed, error, skipped, untested, undefined."""
    status = getattr(model, "status", "untested")
    return str(getattr(status, "name", status))


def has_failed(model: Any) -> bool:
    """Failed (an assertion) or errored (any other exception: behave 1.3 tells the two apart)."""
    return status_of(model) in _FAILED


def first_failed_step(scenario: Any) -> Any:
    """The scenario's step that failed or errored, or ``None``."""
    return next((step for step in steps_of(scenario) if has_failed(step)), None)


def all_passed(scenario: Any) -> bool:
    """Every step of ``scenario`` passed (and it has steps)."""
    steps = steps_of(scenario)
    return bool(steps) and all(status_of(step) == "passed" for step in steps)


def running_last_step(scenario: Any) -> bool:
    """Whether the step running now is the scenario's last.

    While a step runs, behave shows it (and every later step) as "untested" and every earlier one
    as "passed", in 1.2.6 and 1.3 alike.
    """
    steps = steps_of(scenario)
    return bool(steps) and status_of(steps[-1]) == "untested" and all(status_of(s) == "passed" for s in steps[:-1])


def exception_of(step: Any) -> BaseException | None:
    """The exception a failed step raised."""
    exception = getattr(step, "exception", None)
    return exception if isinstance(exception, BaseException) else None


def error_of(step: Any) -> str:
    """A failed step's error text, without the prefix behave adds to an assertion's."""
    text = str(getattr(step, "error_message", None) or "")
    for prefix in _ERROR_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def append_to_error(step: Any, section: str) -> None:
    """Add ``section`` to a failed step's error text, which behave's reports and JUnit print."""
    message = str(getattr(step, "error_message", None) or "")
    step.error_message = f"{message.rstrip()}\n\n{section}\n"


def running_step_text(context: Any) -> str | None:
    """The step running now as the user wrote it in the feature file, without its keyword.

    Read from the file's line, so quoting, plurals and a trailing colon are the user's on every
    behave version (1.2.6 drops the colon from ``step.name``); in a scenario outline, where the
    line holds ``<placeholders>``, it is the step with their values. ``None`` outside a step.
    """
    step = next((s for s in steps_of(current_scenario(context)) if status_of(s) == "untested"), None)
    if step is None:
        return None
    name = str(step.name)
    line = linecache.getline(str(getattr(step, "filename", "")), int(getattr(step, "line", 0) or 0)).strip()
    keyword = str(step.keyword)
    written = line[len(keyword) :].strip() if line.startswith(keyword) else ""
    return written if written.rstrip(":").rstrip() == name.rstrip(":").rstrip() else name


def step_text(step: Any) -> str:
    """A step as written, keyword first: ``Then Rob receives {...}``."""
    return f"{step.keyword} {step.name}"


def duration_of(model: Any) -> float:
    """How long a step or scenario ran, in seconds (0 if it did not run)."""
    return float(getattr(model, "duration", 0.0) or 0.0)
