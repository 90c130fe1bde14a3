"""A load test's plan and runs without Locust: which scenarios, with which weights, each step
reported with its kind, name and failure. Runs in every environment, so the parts of behave it
reads (parser, outlines, tags, step registry, config files' userdata) are pinned on 1.2.6 too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.behave_project import RUN_TIMEOUT, write_project
from wsitest_steps.load.naming import StepKind, kind_of, statistics_name
from wsitest_steps.load.runner import selected
from wsitest_steps.steps import connection_steps, http_steps, message_steps, rule_steps, timeline_steps, variable_steps


@pytest.mark.parametrize(
    "sentence, name",
    [
        ('Rob receives {"message": "Hi"} then sends {"message": "Hello"}', "Rob receives {…} then sends {…}"),
        ('Rob eventually receives {"m": "a}b \\" {"} within 2.5 seconds', "Rob eventually receives {…} within N seconds"),
        ('Alice publishes the text "hi" to "/topic/chat"', 'Alice publishes the text "…" to "…"'),
        ("Rob receives [1, [2, {}]]", "Rob receives […]"),
        ("user user_1 connects", "user user_1 connects"),
        ("Rob receives {unclosed", "Rob receives {unclosed"),
    ],
)
def test_a_step_is_named_by_its_sentence_without_its_values(sentence, name):
    assert statistics_name(sentence) == name


def test_the_library_steps_have_the_kinds_their_names_say():
    assert kind_of(connection_steps.wsitest_user_connects) is StepKind.CONNECT
    assert kind_of(connection_steps.wsitest_actor_disconnects) is StepKind.CONNECT
    assert kind_of(message_steps.wsitest_actor_receives_then_sends) is StepKind.RECEIVE
    assert kind_of(message_steps.wsitest_actor_sends) is StepKind.SEND
    assert kind_of(http_steps.wsitest_actor_requests) is StepKind.HTTP
    assert kind_of(http_steps.wsitest_actor_receives_then_requests) is StepKind.HTTP
    assert kind_of(variable_steps.wsitest_actor_remembers) is StepKind.STEP
    assert kind_of(rule_steps.wsitest_whenever_actor_receives_replies) is StepKind.STEP, "a rule waits for nothing"
    assert kind_of(timeline_steps.wsitest_actor_ignores) is StepKind.STEP

    def user_step_that_receives(context):
        pass

    assert kind_of(user_step_that_receives) is StepKind.STEP, "a project's own steps are not guessed at"


@pytest.mark.parametrize(
    "tags, wanted, runs",
    [
        ({"load"}, [], True),
        ({"load"}, ["@load"], True),
        ({"load", "slow"}, ["@load", "~@slow"], False),
        ({"load"}, ["not @slow"], True),
        ({"other"}, ["@load", "@chat"], False),
        ({"chat"}, ["load", "chat"], True),
    ],
)
def test_tags_select_scenarios_as_behave_reads_them(tags, wanted, runs):
    assert selected(tags, wanted) is runs


FEATURE = """\
@load
Feature: plan
  Background:
    Given the note "from the background"

  @heavy-traffic
  Scenario: Rob talks
    Given user Rob connects
    When Rob receives {"message": "{actor.Rob} has connected"} then sends {"message": "Hello"}
    Then Rob eventually receives {"message": "{actor.Rob}: Hello"}

  Scenario Outline: a note of <word>
    Given the note "<word>"
    And the doc string and table are kept
      \"\"\"
      some text
      \"\"\"
    Examples:
      | word |
      | one  |
      | two  |

  Scenario: it fails
    Given user Zed connects
    Then Zed receives {"message": "never"} within 0.2 seconds
    And the note "never reached"

  @skipped
  Scenario: left out
    Given the note "skipped"
"""

STEPS = """
import json
from behave import step

def note(*values):
    with open("notes.jsonl", "a") as notes:
        notes.write(json.dumps(values) + "\\n")

@step('the note "{word}"')
def step_note(context, word):
    note(word, context.config.userdata.get("from_config"))

@step("the doc string and table are kept")
def step_doc(context):
    note(context.text, context.scenario.name)
"""

RUN = """
import json, sys
from wsitest_steps.load.runner import plan, run
from wsitest_steps.integration.behave_model import userdata_as_behave_reads_it

planned = plan(["features"], ["@load", "~@skipped"], {"@heavy-traffic": 5})
userdata = userdata_as_behave_reads_it([f"ws_url={sys.argv[1]}", "ws_actor_suffix=-u1"])
reports = []
outcomes = [run(p, userdata, reports.append) for p in planned]
notes = [json.loads(line) for line in open("notes.jsonl")]
print(json.dumps({
    "scenarios": [[p.name, p.weight, [s.name for s in p.steps]] for p in planned],
    "outcomes": outcomes,
    "reports": [[r.kind.value, r.name, r.failure] for r in reports],
    "notes": notes,
    "userdata": {k: userdata[k] for k in ("from_config", "ws_actor_suffix")},
}))
"""


def test_a_plan_runs_each_scenario_once_reporting_every_step(tmp_path, demo_userdata):
    project = write_project(tmp_path, FEATURE, extra_steps=STEPS)
    (project / "behave.ini").write_text("[behave.userdata]\nfrom_config = yes\n")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN), demo_userdata["ws_url"]],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    names = [s[0] for s in found["scenarios"]]
    assert names[0] == "Rob talks" and names[3] == "it fails", names
    assert names[1].startswith("a note of one") and names[2].startswith("a note of two"), "one run per example"
    assert [s[1] for s in found["scenarios"]] == [5, 1, 1, 1], "the weight of a tag"
    assert [len(s[2]) for s in found["scenarios"]] == [4, 3, 3, 4], "background steps first"
    assert all(s[2][0] == 'the note "…"' for s in found["scenarios"]), found["scenarios"]
    assert found["outcomes"] == [True, True, True, False]
    assert found["userdata"] == {"from_config": "yes", "ws_actor_suffix": "-u1"}
    reports = found["reports"]
    assert ["connect", "user Rob connects", None] in reports
    assert ["receive", "Rob receives {…} then sends {…}", None] in reports
    assert ["receive", "Rob eventually receives {…}", None] in reports
    failed = [r for r in reports if r[2] is not None]
    assert len(failed) == 1 and failed[0][:2] == ["receive", "Zed receives {…} within N seconds"], reports
    assert failed[0][2].startswith('Zed did not receive a JSON message matching {"message": "never"} within 0.2 seconds')
    assert "\n\n" not in failed[0][2]
    assert ["step", 'the note "…"', None] in reports
    assert not any("never reached" in str(note) for note in found["notes"]), "a failed step ends its run"
    assert ["some text", found["scenarios"][1][0]] in found["notes"]
    assert ["one", "yes"] in found["notes"] and ["two", "yes"] in found["notes"]
    assert ["skipped", "yes"] not in found["notes"]
    assert found["notes"].count(["from the background", "yes"]) == 4


def test_a_user_stopped_during_a_cleanup_still_closes_everything_then_stops():
    from types import SimpleNamespace

    from wsitest_steps.load.runner import PlannedScenario, PlannedStep, run

    closed = []

    def close_everyone():
        closed.append("started")
        if len(closed) == 1:
            raise KeyboardInterrupt  # as Locust's GreenletExit, mid-cleanup
        closed.append("done")

    def step_with_cleanup(context):
        context.add_cleanup(close_everyone)

    step = SimpleNamespace(
        keyword="Given", name="a cleanup", step_type="given", filename="f.feature", line=3, text=None, table=None
    )
    scenario = SimpleNamespace(name="s", feature=None, effective_tags=[], all_steps=[step])
    planned = PlannedScenario(None, scenario, (PlannedStep(step, step_with_cleanup, (), {}, StepKind.STEP, "a cleanup"),), 1)
    with pytest.raises(KeyboardInterrupt):
        run(planned, {}, lambda report: None)
    assert closed == ["started", "started", "done"], "the interrupted cleanup runs again to its end"
