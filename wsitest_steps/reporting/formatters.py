"""Report formatters for behave: every scenario's conversation as a sequence diagram.

``behave -f wsitest_steps.report:HTMLFormatter -o report.html`` writes one self-contained HTML
file: each scenario with its steps, outcome and errors, its sequence diagram drawn as inline SVG
(no script, nothing fetched from the network), the diagram's Mermaid text, and each actor's
transcript. ``behave -f wsitest_steps.report:MermaidFormatter -o diagrams.md`` writes the
diagrams as Markdown with ```` ```mermaid ```` blocks, which GitHub and GitLab render.

Either can run beside behave's own formatters (``-f pretty -f wsitest_steps.report:HTMLFormatter
-o report.html``). Secrets are masked as in every other report.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Any

import jinja2
from behave.formatter.base import Formatter
from markupsafe import Markup

from ..contracts.loaded import loaded_contracts
from ..integration import behave_model
from ..integration import context as behave_context
from ..reporting.conversation import Conversation, StepRecord, conversation_of
from ..scenario.cast import Cast


@dataclass
class ScenarioReport:
    """What a report shows of one scenario, kept once the scenario has ended (the cast is dropped)."""

    name: str
    location: str
    status: str = "untested"
    duration: float = 0.0
    steps: list[StepRecord] = field(default_factory=list)
    conversation: Conversation | None = None
    transcripts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FeatureReport:
    name: str
    location: str
    scenarios: list[ScenarioReport] = field(default_factory=list)


class _ScenarioCollector(Formatter):  # type: ignore[misc]  # behave ships no types
    """Follows the run: scenarios, their steps' start times and outcomes, and their casts."""

    def __init__(self, stream_opener: Any, config: Any) -> None:
        super().__init__(stream_opener, config)
        self.features: list[FeatureReport] = []
        self._scenario: Any = None
        self._cast: Cast | None = None
        self._step_started: dict[int, float] = {}
        self._match_time: float | None = None
        behave_context.cast_listeners.append(self._on_cast)

    def _on_cast(self, scenario: Any, cast: Cast) -> None:
        if scenario is self._scenario:
            self._cast = cast

    # -- behave's calls -------------------------------------------------------------------

    def feature(self, feature: Any) -> None:
        self._finish_scenario()
        self.features.append(FeatureReport(feature.name, str(feature.location)))

    def scenario(self, scenario: Any) -> None:
        self._finish_scenario()
        self._scenario, self._cast, self._step_started = scenario, None, {}

    def match(self, match: Any) -> None:
        self._match_time = time.monotonic()

    def result(self, step: Any) -> None:
        started = self._match_time if self._match_time is not None else time.monotonic() - behave_model.duration_of(step)
        self._step_started.setdefault(id(step), started)
        self._match_time = None

    def eof(self) -> None:
        self._finish_scenario()

    def close(self) -> None:
        self._finish_scenario()
        if self._on_cast in behave_context.cast_listeners:
            behave_context.cast_listeners.remove(self._on_cast)
        self.stream = self.open()
        self.stream.write(self.render())
        self.close_stream()

    def render(self) -> str:
        raise NotImplementedError

    # -- turning a finished scenario into its report ----------------------------------------

    def _finish_scenario(self) -> None:
        # Called when the next scenario (or the end) comes: by then the scenario's cleanups have
        # closed its actors, so the diagram shows how each connection ended.
        scenario, cast = self._scenario, self._cast
        if scenario is None:
            return
        self._scenario, self._cast = None, None
        if not self.features:
            self.features.append(FeatureReport("(no feature)", ""))
        steps = [
            StepRecord(
                behave_model.step_text(step),
                behave_model.status_of(step),
                self._step_started.get(id(step)),
                behave_model.error_of(step),
                behave_model.duration_of(step),
            )
            for step in behave_model.steps_of(scenario)
        ]
        status = behave_model.status_of(scenario)
        report = ScenarioReport(scenario.name, str(scenario.location), status, behave_model.duration_of(scenario), steps)
        report.conversation = conversation_of(cast, scenario.name, status, steps)
        if cast is not None:
            report.transcripts = [(name, cast.transcript_of(name)) for name in cast.names()]
        self.features[-1].scenarios.append(report)


class HTMLFormatter(_ScenarioCollector):
    """One self-contained HTML file: every scenario, its steps, its sequence diagram and transcripts."""

    name = "wsitest-html"
    description = "HTML report with a sequence diagram of every scenario (wsitest-steps)"

    def render(self) -> str:
        scenarios = [s for f in self.features for s in f.scenarios]
        counts = {status: sum(1 for s in scenarios if s.status == status) for status in ("passed", "failed", "error", "skipped")}
        return _TEMPLATE.render(
            features=self.features,
            counts=counts,
            total=len(scenarios),
            generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            svg=lambda conversation: Markup(conversation.svg()),
            contracts=[(c.document, c.coverage()) for c in loaded_contracts()],
        )


class MermaidFormatter(_ScenarioCollector):
    """Markdown with one Mermaid sequence diagram per scenario."""

    name = "wsitest-mermaid"
    description = "Markdown with a Mermaid sequence diagram of every scenario (wsitest-steps)"

    def render(self) -> str:
        parts = ["# Sequence diagrams\n"]
        for feature in self.features:
            parts.append(f"## {feature.name}\n")
            for scenario in feature.scenarios:
                parts.append(f"### {scenario.name} ({scenario.status})\n")
                if scenario.conversation is not None and scenario.conversation.lifelines:
                    parts.append("```mermaid\n" + scenario.conversation.mermaid() + "```\n")
                else:
                    parts.append("No websocket or HTTP traffic.\n")
        return "\n".join(parts)


_TEMPLATE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wsitest-steps report</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; color: #24292f; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
  .summary span { margin-right: 1rem; }
  span.passed, li.passed > small { color: #1a7f37; } span.failed, span.error, li.failed, li.error { color: #cf222e; }
  span.skipped, span.untested, li.skipped, li.untested { color: #57606a; }
  details.scenario { border: 1px solid #d0d7de; border-radius: 6px; margin: .6rem 0; padding: .4rem .8rem; }
  details.scenario > summary { cursor: pointer; font-weight: 600; }
  ol.steps { font-family: ui-monospace, monospace; font-size: .85rem; padding-left: 1.2rem; }
  pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .8rem; white-space: pre-wrap; }
  .diagram { overflow-x: auto; margin: .6rem 0; }
  section.coverage td, section.coverage th { padding: .15rem .6rem; text-align: left; } tr.never td { color: #cf222e; }
</style>
</head>
<body>
<h1>wsitest-steps report</h1>
<p class="summary">
  <span>{{ total }} scenarios</span>
  <span class="passed">{{ counts.passed }} passed</span>
  <span class="failed">{{ counts.failed + counts.error }} failed</span>
  <span class="skipped">{{ counts.skipped }} skipped</span>
  <span>generated {{ generated }}</span>
</p>
{% for feature in features %}
<section class="feature">
<h2>Feature: {{ feature.name }}</h2>
{% for scenario in feature.scenarios %}
<details class="scenario {{ scenario.status }}" data-status="{{ scenario.status }}"{% if scenario.status != "passed" %} open{% endif %}>
<summary><span class="{{ scenario.status }}">{{ scenario.status }}</span> Scenario: {{ scenario.name }} <small>({{ "%.3f"|format(scenario.duration) }}s, {{ scenario.location }})</small></summary>
<ol class="steps">
{% for step in scenario.steps %}
  <li class="{{ step.status }}">{{ step.text }} <small>({{ step.status }})</small>{% if step.error %}<pre>{{ step.error }}</pre>{% endif %}</li>
{% endfor %}
</ol>
{% if scenario.conversation and scenario.conversation.lifelines %}
<div class="diagram">{{ svg(scenario.conversation) }}</div>
<details><summary>Mermaid text of this diagram</summary><pre class="mermaid-source">{{ scenario.conversation.mermaid() }}</pre></details>
{% for name, text in scenario.transcripts %}
<details><summary>Transcript of {{ name }}</summary><pre>{{ text }}</pre></details>
{% endfor %}
{% else %}
<p>No websocket or HTTP traffic in this scenario.</p>
{% endif %}
</details>
{% endfor %}
</section>
{% endfor %}
{% for document, rows in contracts %}
<section class="coverage">
<h2>AsyncAPI coverage: {{ document.title }} <small>({{ document.path.name }})</small></h2>
<p>{{ rows|selectattr("times")|list|length }} of {{ rows|length }} messages exercised.</p>
<table>
<tr><th>channel</th><th>direction</th><th>message</th><th>operations</th><th>seen</th></tr>
{% for row in rows %}
<tr class="{{ 'seen' if row.times else 'never' }}"><td>{{ row.channel }}</td><td>{{ row.direction }}</td><td>{{ row.message }}</td><td>{{ row.operations|join(", ") }}</td><td>{{ row.times if row.times else "never" }}</td></tr>
{% endfor %}
</table>
</section>
{% endfor %}
</body>
</html>
"""
)
