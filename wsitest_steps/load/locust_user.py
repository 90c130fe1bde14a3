"""The only module that imports Locust: a simulated user that runs scenarios of feature files.

Locust monkey-patches the standard library for gevent when it is imported, before this module
runs; the library's reader threads, waits and clock then are greenlets, waking on a frame
through gevent's hub and never blocking it.
"""

from __future__ import annotations

import itertools
import os
import sys
from typing import Any, ClassVar

import gevent
from gevent.event import Event
from locust import User, task

from ..errors import ConfigurationError
from .runner import PlannedScenario, StepReport, choose, plan, run

_numbers = itertools.count(1)
_plans: dict[tuple[Any, ...], list[PlannedScenario]] = {}
_refused: set[tuple[Any, ...]] = set()
#: Never set: a user whose test cannot run waits on it until Locust, told to quit, stops it.
_never = Event()


class StepFailed(Exception):
    """A step's failure as Locust's failures table shows it: the first paragraph of its text."""

    def __repr__(self) -> str:  # Locust groups and shows failures by repr
        return str(self)


class FeatureUser(User):
    """Runs scenarios of feature files, chosen by tag and weight, again and again.

    Subclass it in a locustfile, or run ``python -m wsitest_steps.load`` which does so::

        class Chat(FeatureUser):
            features = ["features/load.feature"]
            tags = ["@load"]
            weights = {"@chatty": 3}
            userdata = {"ws_url": "ws://127.0.0.1:8765/?name={name}"}

    ``userdata`` is added to what behave's own config files give (``[behave.userdata]``), as
    ``-D`` would be. Each simulated user has its own ``ws_actor_suffix``, so its actors connect
    under names of their own: a scenario writes ``{actor.Rob}`` where it needs Rob's name on the
    wire. Each step is one Locust request: its kind as the type, its sentence without its values
    as the name, its time as the response time, a failure as a failure.
    """

    abstract = True
    features: ClassVar[list[str]] = []
    tags: ClassVar[list[str]] = []
    weights: ClassVar[dict[str, int]] = {}
    userdata: ClassVar[dict[str, str]] = {}

    def on_start(self) -> None:
        key = (type(self), tuple(self.features), tuple(self.tags), tuple(sorted(self.weights.items())))
        self._scenarios: list[PlannedScenario] = []
        if key in _refused:
            return
        if key not in _plans:
            try:
                _plans[key] = plan(self.features, self.tags, self.weights)
            except ConfigurationError as exc:
                # Every user would fail alike: say it once, in words, and end the test with status 2.
                _refused.add(key)
                print(f"wsitest-steps: {exc}", file=sys.__stderr__, flush=True)
                self.environment.process_exit_code = 2
                gevent.spawn(self.environment.runner.quit)  # not from this user's greenlet, which it stops
                return
        self._scenarios = _plans[key]
        from ..integration.behave_model import userdata_as_behave_reads_it

        userdata = userdata_as_behave_reads_it([f"{k}={v}" for k, v in self.userdata.items()])
        worker = getattr(self.environment.runner, "worker_index", None)
        prefix = f"w{worker}-" if worker is not None else ""
        # Distinct across the workers of one test: the process id tells apart workers of one machine
        # that started before the master numbered them.
        userdata["ws_actor_suffix"] = f"{userdata.get('ws_actor_suffix', '')}-{prefix}{os.getpid()}-{next(_numbers)}"
        self._userdata = userdata

    @task
    def run_a_scenario(self) -> None:
        if not self._scenarios:
            _never.wait(60)  # bounded: Locust stops the user long before
            return
        run(choose(self._scenarios), self._userdata, self._report)

    def _report(self, step: StepReport) -> None:
        self.environment.events.request.fire(
            request_type=step.kind.value,
            name=step.name,
            response_time=step.seconds * 1000,
            response_length=0,
            exception=StepFailed(step.failure) if step.failure is not None else None,
            context={},
        )
