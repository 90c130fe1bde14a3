"""Scenarios of feature files run again and again outside behave's runner, each step reported.

A load test runs one scenario many times at once, so nothing here may be shared between runs:
each run has its own context, its own copy of the steps (their status is what the library reads
to know which step is running), and its own cast. behave's parser, its step registry and the
step functions are shared, read only.

What a run does not do, by design: environment.py's hooks (a load test's set-up belongs to the
whole test, not to each simulated user; give URLs and values as userdata), behave's output
capture (process-wide, so it cannot be per user), and ``context.execute_steps``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from ..integration import behave_model
from ..integration.stopping import leave_sigterm_alone
from .naming import StepKind, kind_of, statistics_name

StepFunction = Callable[..., None]


@dataclass(frozen=True)
class PlannedStep:
    """One step of a scenario, matched once to the function that runs it."""

    step: Any
    function: StepFunction
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]
    kind: StepKind
    #: The step's line in the statistics: its sentence with the values left out.
    name: str


@dataclass(frozen=True)
class PlannedScenario:
    feature: Any
    scenario: Any
    steps: tuple[PlannedStep, ...]
    weight: int

    @property
    def name(self) -> str:
        return str(self.scenario.name)


@dataclass(frozen=True)
class StepReport:
    """What one step did: reported to Locust as one request."""

    kind: StepKind
    name: str
    seconds: float
    #: The first paragraph of the step's failure, or ``None`` if it passed.
    failure: str | None = None


def selected(tags: set[str], wanted: Sequence[str]) -> bool:
    """Whether a scenario with ``tags`` runs: it has one of the tags asked for (all, if none are),
    and none of those asked against with ``~`` or ``not``: ``["@chat", "~@slow"]``."""
    including = [t.lstrip("@") for t in wanted if not t.startswith(("~", "-", "not "))]
    excluding = [t.removeprefix("not ").lstrip("~-@ ") for t in wanted if t.startswith(("~", "-", "not "))]
    if any(t in tags for t in excluding):
        return False
    return not including or any(t in tags for t in including)


def plan(
    paths: Sequence[str | Path], tags: Sequence[str] = (), weights: Mapping[str, int] | None = None
) -> list[PlannedScenario]:
    """The scenarios of the feature files in ``paths`` that ``tags`` select, each step matched.

    A scenario's weight is the largest of ``weights`` its tags name (``{"@chat": 3}``), else 1.
    Raises :class:`ConfigurationError` when nothing is selected or a step has no definition.
    """
    given = [Path(p) for p in paths]
    missing = [str(p) for p in given if not p.exists()]
    if missing:
        raise ConfigurationError(f"The load test's feature files do not exist: {', '.join(missing)}.")
    load_steps_beside(given)
    weights = {k.lstrip("@"): v for k, v in (weights or {}).items()}
    planned = []
    for feature in behave_model.parse_features(given):
        for scenario in behave_model.scenarios_of(feature):
            scenario_tags = behave_model.tags_of(scenario)
            if not selected(scenario_tags, tags):
                continue
            weight = max((weights[t] for t in scenario_tags if t in weights), default=1)
            planned.append(PlannedScenario(feature, scenario, tuple(_planned_steps(scenario)), weight))
    if not planned:
        shown = " ".join(tags) or "(none)"
        raise ConfigurationError(
            f"No scenario of {', '.join(map(str, given))} has the tags {shown}: the load test has nothing to run. "
            "Check the tags, or give no tags to run every scenario."
        )
    return planned


def load_steps_beside(paths: Sequence[Path]) -> None:
    """Load the step definitions of the features' ``steps`` directories, once per process, as behave would."""
    for directory in sorted({(p if p.is_dir() else p.parent) for p in paths}):
        steps = _steps_directory(directory)
        if steps is not None and steps not in _LOADED:
            _LOADED.add(steps)
            behave_model.load_step_files(steps)


_LOADED: set[Path] = set()


def _steps_directory(directory: Path) -> Path | None:
    # behave looks for steps/ beside the features, or in a parent that holds the features/ folder.
    for folder in (directory, *directory.resolve().parents):
        if (folder / "steps").is_dir():
            return (folder / "steps").resolve()
    return None


def _planned_steps(scenario: Any) -> Iterator[PlannedStep]:
    for step in behave_model.steps_of(scenario):
        found = behave_model.step_function(step)
        if found is None:
            raise ConfigurationError(
                f"The step at {behave_model.step_location(step)}, {behave_model.step_text(step)}, has no step definition, "
                "so the load test cannot run its scenario. Check the sentence against docs/steps.md, or define it "
                "in the features' steps directory."
            )
        function, args, kwargs = found
        yield PlannedStep(step, function, tuple(args), kwargs, kind_of(function), statistics_name(str(step.name)))


def choose(scenarios: Sequence[PlannedScenario], rng: random.Random | None = None) -> PlannedScenario:
    """One scenario, drawn by weight."""
    return (rng or random).choices(list(scenarios), weights=[s.weight for s in scenarios])[0]


# -- one run ------------------------------------------------------------------------------


def run(planned: PlannedScenario, userdata: Mapping[str, Any], report: Callable[[StepReport], None]) -> bool:
    """Run ``planned`` once with ``userdata``; ``report`` each step as it ends. True if every step passed.

    A failed step ends the run (the steps after it do not run, as in behave); the cleanups run
    whatever happened, a failing one reported as a step of kind ``step`` named "cleanup".
    """
    leave_sigterm_alone()  # the runner of a load test handles its own signals
    scenario = behave_model.stand_in_for(planned.scenario)
    context = behave_model.StandInContext.for_run(scenario, userdata)
    passed = True
    try:
        for plan_step, step in zip(planned.steps, behave_model.steps_of(scenario), strict=True):
            context.running(step)
            started = time.perf_counter()
            try:
                plan_step.function(context, *plan_step.args, **plan_step.kwargs)
            except Exception as exc:  # a failed step is reported, never raised into Locust
                step.ended(time.perf_counter() - started, exc)
                report(StepReport(plan_step.kind, plan_step.name, step.duration, first_paragraph(exc)))
                passed = False
                break
            step.ended(time.perf_counter() - started)
            report(StepReport(plan_step.kind, plan_step.name, step.duration))
    finally:
        cleaned = _clean_up(context.cleanups, report)
    return passed and cleaned


def _clean_up(cleanups: list[Callable[[], None]], report: Callable[[StepReport], None]) -> bool:
    # Locust stops a user by raising GreenletExit in it, which may come while a cleanup closes the
    # actors: the cleanup then runs again to its end (closing what is closed already is quick), so
    # no actor is left open, and the stop goes on after.
    stopped: BaseException | None = None
    cleaned = True
    for cleanup in reversed(cleanups):
        for _attempt in range(2):
            started = time.perf_counter()
            try:
                cleanup()
            except Exception as exc:
                cleaned = False
                report(StepReport(StepKind.STEP, "cleanup", time.perf_counter() - started, first_paragraph(exc)))
            except BaseException as exc:  # the user is being stopped: finish closing first
                stopped = stopped or exc
                continue
            break
    if stopped is not None:
        raise stopped
    return cleaned


def first_paragraph(exc: BaseException, limit: int = 1000) -> str:
    """A failure's first paragraph, bounded: what a Locust failures table shows."""
    text = str(exc).strip() or type(exc).__name__
    head = text.split("\n\n", 1)[0].strip()
    return head if len(head) <= limit else head[: limit - 1] + "…"
