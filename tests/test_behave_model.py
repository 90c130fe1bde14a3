"""What integration/behave_model.py reads of behave's model, pinned on the behave installed here.

tox runs it on behave 1.2.6 (behave126, mindeps) and 1.3.x (the others). Each step below checks
one reading inside a real behave run, and the cleanup of a failing scenario appends to its error.
"""

from tests.behave_project import junit_outcomes, run_behave, write_project

FEATURE = """\
Feature: behave's model
  Scenario: Reading the model while steps run
    Given a first step reads its scenario
    When a step with a doc string reads it
      \"\"\"
      the doc string
      \"\"\"
    And a step with a table reads it
      | name | value |
      | a    | 1     |
    Then the last step knows it is the last

  Scenario: A failure that a cleanup adds to
    Given a cleanup will add to the failure
    Then this step fails
"""

STEPS = """
from behave import given, when, then
from wsitest_steps.integration import behave_model as model


@given("a first step reads its scenario")
def first(context):
    scenario = model.current_scenario(context)
    assert scenario is not None and len(model.steps_of(scenario)) == 4
    assert [model.status_of(step) for step in model.steps_of(scenario)] == ["untested"] * 4
    assert not model.running_last_step(scenario)
    assert model.feature_file(context).endswith("test.feature")
    assert model.userdata(context)["probe"] == "yes"
    assert model.doc_string(context) is None and model.table_rows(context) is None
    assert model.step_text(model.steps_of(scenario)[0]) == "Given a first step reads its scenario"


@when("a step with a doc string reads it")
def doc(context):
    assert model.doc_string(context) == "the doc string"
    assert model.status_of(model.steps_of(model.current_scenario(context))[0]) == "passed"


@when("a step with a table reads it")
def table(context):
    assert model.table_rows(context) == [["name", "value"], ["a", "1"]]


@then("the last step knows it is the last")
def last(context):
    assert model.running_last_step(model.current_scenario(context))


def add_to_failure(scenario):
    failed = model.first_failed_step(scenario)
    assert failed is not None and model.has_failed(failed) and not model.all_passed(scenario)
    assert model.error_of(failed).startswith("the step's own words")
    assert str(model.exception_of(failed)) == "the step's own words"
    model.append_to_error(failed, "ADDED BY THE CLEANUP")


@given("a cleanup will add to the failure")
def cleanup(context):
    model.add_cleanup(context, add_to_failure, model.current_scenario(context))


@then("this step fails")
def fails(context):
    raise AssertionError("the step's own words")
"""


def test_behave_model_readings_hold_in_a_real_run(tmp_path):
    project = write_project(tmp_path, FEATURE, extra_steps=STEPS)
    result = run_behave(project, "-D", "probe=yes", "--junit", "--junit-directory", "reports")
    assert "1 scenario passed, 1 failed" in result.stdout, result.stdout
    outcomes = junit_outcomes(project)
    assert outcomes["Reading the model while steps run"] is None
    failure = outcomes["A failure that a cleanup adds to"]
    assert "the step's own words" in failure and "ADDED BY THE CLEANUP" in failure, failure
