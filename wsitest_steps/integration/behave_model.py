"""The only module that reads behave's model objects beyond its documented step API.

behave documents ``context.table``, ``context.text``, ``context.config.userdata`` and
``context.add_cleanup`` for steps; everything else used here (``scenario.all_steps``, a step's
``status`` and ``error_message``, ``feature.filename``, the "untested" status of steps not run
yet) is behave's model as 1.2.6 and 1.3.x both have it, pinned by ``tests/test_behave_model.py``
on both. Objects are typed ``Any`` on purpose: behave ships no type information.

A load test runs scenarios without behave's runner, and reads for it (pinned by the same test):
``behave.parser.parse_file``, ``feature.walk_scenarios()`` (outlines expanded),
``scenario.effective_tags``, a step's ``step_type``, ``name``, ``keyword``, ``text``, ``table``,
``filename`` and ``line``, ``behave.step_registry.registry.find_match(step)``, whose match
has ``func`` and ``arguments`` (each with ``name`` and ``value``), and the userdata of
``behave.configuration.Configuration``.
"""

from __future__ import annotations

import contextlib
import linecache
import runpy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
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


# -- running scenarios without behave's runner (a load test) ---------------------------------


def parse_features(paths: list[Path]) -> list[Any]:
    """The features in ``paths`` (files, or directories searched for ``*.feature``), parsed by behave."""
    from behave.parser import parse_file

    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.feature")) if path.is_dir() else [path])
    return [feature for feature in (parse_file(str(file)) for file in files) if feature is not None]


def scenarios_of(feature: Any) -> list[Any]:
    """Every scenario of ``feature`` as behave runs them: each example of an outline is one."""
    return list(feature.walk_scenarios())


def tags_of(scenario: Any) -> set[str]:
    """A scenario's tags and those it inherits (its feature's, its outline's), without the ``@``."""
    return {str(tag) for tag in scenario.effective_tags}


def userdata_as_behave_reads_it(defines: list[str]) -> dict[str, Any]:
    """The userdata behave would run with: its config files' ``[behave.userdata]``, then ``defines``
    (each ``key=value`` as after ``-D``)."""
    from behave.configuration import Configuration

    args = [arg for define in defines for arg in ("-D", define)]
    return dict(Configuration(command_args=args, load_config=True).userdata)


def load_step_files(directory: Path) -> None:
    """Run each ``*.py`` in ``directory``, in name order, as behave loads a steps directory."""
    for file in sorted(directory.glob("*.py")):
        runpy.run_path(str(file), run_name=f"steps.{file.stem}")


def step_function(step: Any) -> tuple[Callable[..., None], list[Any], dict[str, Any]] | None:
    """The step function behave would run for ``step``, with its arguments; ``None`` if undefined."""
    from behave.step_registry import registry

    match = registry.find_match(step)
    if match is None:
        return None
    args = [a.value for a in match.arguments if a.name is None]
    kwargs = {a.name: a.value for a in match.arguments if a.name is not None}
    return match.func, args, kwargs


def step_location(step: Any) -> str:
    """``features/chat.feature:12``: where a step is written."""
    return f"{step.filename}:{step.line}"


@dataclass
class StandInStep:
    """A step of one run outside behave's runner, with the attributes read above of behave's steps.

    Concurrent runs of one scenario must not share behave's step objects: their status is how the
    library knows which step runs.
    """

    keyword: str
    name: str
    step_type: str
    filename: str
    line: int
    text: str | None
    table: Any
    status: str = "untested"
    error_message: str | None = None
    exception: BaseException | None = None
    duration: float = 0.0

    def ended(self, seconds: float, exception: Exception | None = None) -> None:
        """Record how the step ended: passed, failed (an assertion) or error (anything else)."""
        self.duration = seconds
        if exception is None:
            self.status = "passed"
            return
        self.status = "failed" if isinstance(exception, AssertionError) else "error"
        self.exception, self.error_message = exception, str(exception)


@dataclass
class StandInScenario:
    name: str
    feature: Any
    tags: list[str]
    all_steps: list[StandInStep]


def stand_in_for(scenario: Any) -> StandInScenario:
    """Fresh stand-ins for one run of ``scenario``."""
    steps = [
        StandInStep(str(s.keyword), str(s.name), str(s.step_type), str(s.filename), int(s.line), s.text, s.table)
        for s in steps_of(scenario)
    ]
    return StandInScenario(str(scenario.name), scenario.feature, sorted(tags_of(scenario)), steps)


@dataclass
class _Config:
    userdata: dict[str, Any]


@dataclass
class StandInContext:
    """What a step sees as behave's context in a run outside behave's runner: ``config.userdata``,
    ``feature``, ``scenario``, the running step's ``text`` and ``table``, ``add_cleanup``; steps may
    set attributes on it freely, as on behave's, and they last for the run."""

    config: _Config
    feature: Any
    scenario: StandInScenario
    text: str | None = None
    table: Any = None
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def for_run(cls, scenario: StandInScenario, userdata: Mapping[str, Any]) -> StandInContext:
        return cls(_Config(dict(userdata)), scenario.feature, scenario)

    def running(self, step: StandInStep) -> None:
        """The step about to run: its doc string and table become the context's."""
        self.text, self.table = step.text, step.table

    def add_cleanup(self, cleanup: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Run ``cleanup(*args, **kwargs)`` when the run ends, passed or failed: last added, first run."""
        self.cleanups.append(lambda: cleanup(*args, **kwargs))

    @contextlib.contextmanager
    def use_with_user_mode(self) -> Iterator[None]:  # behave's Match.run asks for it
        yield
