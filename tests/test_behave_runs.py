"""behave run as a user runs it, on projects that only import the steps: what passes, what it prints."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.behave_project import failing_first, run_behave, took_seconds, write_project
from tests.conftest import url_of

EVERY_SENTENCE = """
Feature: Every sentence of the vocabulary
  Scenario: Connecting, sending and receiving in every phrasing
    Given user Rob connects
    And Ann connects
    And users Alice, Bob and Carol connect
    When Rob receives {"message": "Rob has connected"} then sends {"message": "one"}
    Then Rob eventually receives {"message": "Rob: one"}
    And Ann receives a message {"message": "Rob: one"} within 2 seconds
    And Alice eventually receives {"message": "Rob: one"} within 1 second
    When Bob sends a message {"message": "two"}
    Then Carol receives {"message": "Bob: two"}
    When Rob sends:
      \"\"\"
      {"message": "three"}
      \"\"\"
    Then Bob eventually receives:
      \"\"\"
      {"message": "Rob: three"}
      \"\"\"
    When Ann receives {"message": "Rob: three"} then sends:
      \"\"\"
      {"message": "four"}
      \"\"\"
    Then Alice eventually receives a message {"message": "Ann: four"}
    But Carol does not receive {"message": "Carol: four"} within 0.2 seconds
    When Rob disconnects
    Then Ann eventually receives {"message": "Rob has disconnected"}
    And there are 4 reader threads

  Scenario: The previous scenario's actors were all closed without any hook
    Then there are 0 reader threads
    Given user Rob connects to "{URL}"
    Then Rob eventually receives {"message": "Rob has connected"}
"""

# Written after the star import with behave's default "parse" matcher ({count:d}): it only
# registers if the library restored the matcher, and it shows custom steps beside ours.
THREAD_COUNT_STEP = """
import threading
from behave import then

@then("there are {count:d} reader threads")
def step_count_reader_threads(context, count):
    alive = [t.name for t in threading.enumerate() if t.name.startswith("wsitest-reader-")]
    assert len(alive) == count, alive
"""


def test_every_sentence_works_from_a_project_that_only_imports_the_steps(tmp_path, chat_server):
    url = chat_server.url
    feature = EVERY_SENTENCE.replace("{URL}", url.replace("{name}", "Rob"))
    project = write_project(tmp_path, feature, extra_steps=THREAD_COUNT_STEP)
    result = run_behave(project, "-D", f"ws_url={url}")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "2 scenarios passed, 0 failed" in result.stdout


def test_userdata_can_come_from_behave_ini(tmp_path, chat_server):
    project = write_project(
        tmp_path,
        """
        Feature: f
          Scenario: s
            Given user Rob connects
            Then Rob eventually receives {"message": "Rob has connected"}
        """,
    )
    (project / "behave.ini").write_text(f"[behave.userdata]\nws_url = {chat_server.url}\nws_timeout = 3\n")
    result = run_behave(project)
    assert result.returncode == 0, failing_first(result.stdout)


FAILING_WAIT = """
Feature: A chat that says the wrong thing
  Scenario: Rob expects an answer that never comes
    Given user Rob connects
    When Rob receives {"message": "Rob has connected"} then sends {"message": "Hi"}
    Then Rob eventually receives {"message": "Rob: Hello", "mood": "happy"}
"""


def test_a_failing_wait_prints_and_reports_the_transcript(tmp_path, chat_server):
    project = write_project(tmp_path, FAILING_WAIT)
    result = run_behave(
        project, "-D", f"ws_url={chat_server.url}", "-D", "ws_timeout=0.3", "--junit", "--junit-directory", "reports"
    )
    assert result.returncode == 1
    expected_report = [
        'Rob did not receive a JSON message matching {"message": "Rob: Hello", "mood": "happy"} within 0.3 seconds',
        'Step: Rob eventually receives {"message": "Rob: Hello", "mood": "happy"}',
        "Rob's transcript (2 frames received, 1 sent), oldest first, in seconds from the start of the scenario:",
        "connected to ws://127.0.0.1:",
        '#1 received text: {"message": "Rob has connected", "user": "Rob"}',
        'already used by the step: Rob receives {"message": "Rob has connected"} then sends {"message": "Hi"}',
        'sent text: {"message": "Hi"}',
        '#2 received text: {"message": "Rob: Hi", "user": "Rob"}',
        'not a match: $.message was "Rob: Hi", expected "Rob: Hello"; $.mood is missing, expected "happy"',
        "Rob's connection is still open.",
        "Closest to what was expected:",
        "#2 at +",
        'differs in 2 places: {"message": "Rob: Hi", "user": "Rob"}',
        "Nothing matching arrived in the 0.06s after the deadline either (ws_late_window).",
    ]
    for line in expected_report:
        assert line in result.stdout, f"{line!r} missing from:\n{result.stdout}"
    assert "Traceback" not in result.stdout

    junit = ET.parse(project / "reports" / "TESTS-test.xml").getroot()
    failure = junit.find("./testcase/failure")
    assert failure is not None
    for line in expected_report:
        assert line in failure.text, f"{line!r} missing from the JUnit failure:\n{failure.text}"
    assert failure.get("message").startswith("Rob did not receive a JSON message matching")


BAD_INPUTS = """
Feature: Mistakes in steps and in the world
  Scenario: Malformed JSON
    Given user Rob connects
    When Rob sends {message: "Hi"}

  Scenario: Unknown actor
    Given user Rob connects
    Then Bob eventually receives {"message": "Bob has connected"}

  Scenario: Refused connection
    Given user Rob connects to "ws://127.0.0.1:{CLOSED_PORT}/"

  Scenario: A colon without a doc string
    Given user Rob connects
    When Rob sends:

  Scenario: A later scenario still works
    Given user Rob connects
    Then Rob eventually receives {"message": "Rob has connected"}
"""


def test_bad_input_fails_its_step_with_one_paragraph_and_later_scenarios_still_pass(tmp_path, chat_server, closed_port):
    project = write_project(tmp_path, BAD_INPUTS.replace("{CLOSED_PORT}", str(closed_port)))
    result = run_behave(project, "-D", f"ws_url={chat_server.url}", "--junit", "--junit-directory", "reports")
    assert result.returncode == 1
    out = result.stdout
    assert "Traceback" not in out
    assert 'Malformed JSON (step: Rob sends {message: "Hi"}): Expecting property name enclosed in double quotes' in out
    assert "There is no actor called 'Bob' (step: Bob eventually receives" in out
    assert "the ones in this scenario are: Rob" in out
    assert f"Rob could not connect to ws://127.0.0.1:{closed_port}/ (step: user Rob connects to " in out
    assert "the connection was refused" in out
    assert "This step ends with a colon, so it needs a doc string" in out
    assert "1 scenario passed, 4 failed" in out

    junit = ET.parse(project / "reports" / "TESTS-test.xml").getroot()
    statuses = {case.get("name"): [child.tag for child in case] for case in junit.iter("testcase")}
    assert sum("failure" in tags for tags in statuses.values()) == 4
    assert not any("error" in tags for tags in statuses.values()), "step mistakes must be failures, not errors"


def test_server_closing_mid_wait_fails_the_step_at_once(tmp_path, serve):
    async def close_on_first_message(connection):
        await connection.recv()
        await connection.close(1011, "database unavailable")

    server = serve(close_on_first_message)
    project = write_project(
        tmp_path,
        """
        Feature: f
          Scenario: the server gives up
            Given user Rob connects
            When Rob sends {"message": "Hi"}
            Then Rob eventually receives {"message": "never"}
        """,
    )
    result = run_behave(project, "-D", f"ws_url={url_of(server)}", "-D", "ws_timeout=60")
    assert result.returncode == 1
    assert 'closed by the server with code 1011 (internal error), reason "database unavailable"' in result.stdout
    # The close may land before the wait starts or during it; either way the step ends at once.
    assert re.search(r"the step failed at once instead of waiting out its 60-second deadline|before this step", result.stdout)
    assert took_seconds(result.stdout) < 30, result.stdout


def test_a_forbidden_message_fails_does_not_receive(tmp_path, chat_server):
    project = write_project(
        tmp_path,
        """
        Feature: f
          Scenario: s
            Given user Rob connects
            Then Rob does not receive {"message": "Rob has connected"} within 5 seconds
        """,
    )
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert result.returncode == 1
    assert (
        'Rob received a JSON message matching {"message": "Rob has connected"}, which the step forbids: frame #1' in result.stdout
    )


def test_the_failing_scenario_is_copied_to_the_top_of_a_long_output(tmp_path, chat_server):
    passing = "".join(
        f"""
          Scenario: passes {n}
            Given user Rob connects
            Then Rob eventually receives {{"message": "Rob has connected"}}
        """
        for n in range(5)
    )
    project = write_project(
        tmp_path,
        """
        Feature: f
        """
        + passing
        + """
          Scenario: fails
            Given user Rob connects
            Then Rob receives {"message": "never sent"} within 0.2 seconds
        """,
    )
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert result.returncode == 1
    shown = failing_first(result.stdout)
    top = shown.partition("WHOLE OUTPUT:")[0]
    assert "Scenario: fails" in top and "Rob did not receive" in top, shown
    assert "passes 0" not in top and "Failing scenarios" not in top, shown
    assert shown.endswith(result.stdout)


def test_without_a_configured_url_the_step_says_how_to_configure_it(tmp_path):
    project = write_project(
        tmp_path,
        """
        Feature: f
          Scenario: s
            Given user Rob connects
        """,
    )
    result = run_behave(project)
    assert result.returncode == 1
    assert "No websocket URL is configured" in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize("sentence", ["When Rob sends a message:", "Then Rob eventually receives a message:"])
def test_colon_sentences_are_defined(tmp_path, chat_server, sentence):
    """behave 1.3 keeps a doc-string step's trailing colon and 1.2.6 strips it: both must match."""
    project = write_project(
        tmp_path,
        f'''
        Feature: f
          Scenario: s
            Given user Rob connects
            {sentence}
              """
              {{"message": "Rob has connected"}}
              """
        ''',
    )
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert result.returncode == 0, result.stdout  # an undefined step fails the run
    assert "1 scenario passed" in result.stdout
