"""Faults injected into real servers on 127.0.0.1: each ends in one readable paragraph, in good time.

Every case runs in a real behave run; its outcome is read per scenario from behave's JUnit XML,
with the time behave measured for it, and a scenario after the faults still passes.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.behave_project import RUN_TIMEOUT, junit_outcomes, run_behave, userdata_args, write_project
from tests.test_demo_suite import ROOT


def junit_times(project: Path) -> dict[str, float]:
    times = {}
    for report in (project / "reports").glob("TESTS-*.xml"):
        for case in ET.parse(report).getroot().iter("testcase"):
            times[case.get("name").split(" -- @")[0]] = float(case.get("time"))
    return times


def run_feature(tmp_path, userdata, feature, *args, extra_steps="", tracebacks=False):
    project = write_project(tmp_path, feature, extra_steps=extra_steps)
    result = run_behave(project, *userdata_args(userdata), "--junit", "--junit-directory", "reports", *args)
    # Only behave itself prints tracebacks, for exceptions raised by a user's own steps.
    assert tracebacks or "Traceback" not in result.stdout, result.stdout
    return result, junit_outcomes(project), junit_times(project)


def check(outcomes, times, expected):
    """``expected`` maps scenario names to (texts its failure must contain or None if it passes, most seconds it may take)."""
    assert set(outcomes) == set(expected), outcomes
    for name, (texts, seconds) in expected.items():
        if texts is None:
            assert outcomes[name] is None, f"{name} should pass, but:\n{outcomes[name]}"
        else:
            assert outcomes[name] is not None, f"{name} should fail"
            for text in texts:
                assert text in outcomes[name], f"{name}: {text!r} missing from:\n{outcomes[name]}"
        assert times[name] < seconds, f"{name} took {times[name]:.3f}s, more than {seconds}s"


@pytest.fixture
def unanswering_port():
    """A port that accepts TCP connections (the kernel completes them) but never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


CONNECTING = """
Feature: Connecting goes wrong
  Scenario: nothing listens
    Given user Rob connects to "ws://127.0.0.1:{CLOSED}/"

  Scenario: the server accepts TCP but never answers the handshake
    Given user Rob connects to "ws://127.0.0.1:{SILENT}/"

  Scenario: the handshake is answered with HTTP 500
    Given user Rob connects to the reject endpoint with the query parameter "status=500"

  Scenario: the URL is not a websocket URL
    Given user Rob connects to "http://127.0.0.1:{CLOSED}/"

  Scenario: a URL with a space in it
    Given user Rob connects to "ws://127.0.0.1:{CLOSED}/a room"

  Scenario: an expired certificate
    Given user Rob connects to the expired endpoint

  Scenario: a self-signed certificate
    Given user Rob connects to the selfsigned endpoint

  Scenario: a certificate for another host
    Given user Rob connects to the wronghost endpoint

  Scenario: a later scenario still passes
    Given user Rob connects to the secure endpoint
    When Rob sends {"after": "all that"}
    Then Rob receives {"after": "all that"}
"""


def test_connecting_faults(tmp_path, demo_servers, demo_userdata, closed_port, unanswering_port):
    from chat_server_fixture.protocol_server import ProtocolServer

    expired = ProtocolServer(host="localhost", ssl=demo_servers.trusted_ca.server_context("localhost", expired=True)).start()
    wrong_host = ProtocolServer(host="localhost", ssl=demo_servers.trusted_ca.server_context("example.test")).start()
    try:
        userdata = {
            **demo_userdata,
            "ws_insecure_skip_tls_verify": "false",
            "ws_connect_timeout": "0.5",
            "ws_url.expired": expired.url("/echo"),
            "ws_url.wronghost": wrong_host.url("/echo"),
        }
        feature = CONNECTING.replace("{CLOSED}", str(closed_port)).replace("{SILENT}", str(unanswering_port))
        _, outcomes, times = run_feature(tmp_path, userdata, feature)
    finally:
        expired.stop()
        wrong_host.stop()
    check(
        outcomes,
        times,
        {
            "nothing listens": (
                [
                    f'Rob could not connect to ws://127.0.0.1:{closed_port}/ (step: user Rob connects to "ws://127.0.0.1:{closed_port}/"): '
                    f"the connection was refused: nothing is listening on 127.0.0.1:{closed_port}. Start the server, or point the URL "
                    "(ws_url) at the port it listens on."
                ],
                1.0,
            ),
            "the server accepts TCP but never answers the handshake": (
                [
                    f"no answer to the websocket handshake from 127.0.0.1:{unanswering_port} within 0.5 seconds. The server accepted "
                    "nothing or answered nothing; check that it speaks websocket on that port, or raise ws_connect_timeout."
                ],
                1.5,
            ),
            "the handshake is answered with HTTP 500": (["the server rejected the websocket handshake with HTTP 500."], 1.0),
            "the URL is not a websocket URL": (
                [
                    f"The URL Rob was asked to connect to, 'http://127.0.0.1:{closed_port}/' is not a websocket URL: it must start "
                    "with ws:// or wss:// and name a host"
                ],
                1.0,
            ),
            "a URL with a space in it": (["contains characters that must be percent-encoded in a URL (' ')"], 1.0),
            "an expired certificate": (["the server's TLS certificate was rejected: certificate has expired."], 1.0),
            "a self-signed certificate": (
                ["the server's TLS certificate was rejected: unable to get local issuer certificate."],
                1.0,
            ),
            "a certificate for another host": (
                ["the server's TLS certificate was rejected: Hostname mismatch, certificate is not valid for 'localhost'."],
                1.0,
            ),
            "a later scenario still passes": (None, 1.0),
        },
    )


def test_an_unresolvable_host_is_explained_without_asking_any_dns_server(tmp_path):
    """Run in a network namespace of its own: the lookup fails at once and no packet leaves the machine."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        if os.environ.get("WSITEST_CI"):
            pytest.fail("unshare -n (a network namespace) is needed and not available")
        pytest.skip("needs unshare -n (a network namespace), which needs root")
    project = write_project(
        tmp_path,
        """
    Feature: f
      Scenario: a host nobody knows
        Given user Rob connects to "ws://no-such-host.invalid/"
    """,
    )
    started = time.monotonic()
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "behave", "--no-color"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout
    assert (
        'Rob could not connect to ws://no-such-host.invalid/ (step: user Rob connects to "ws://no-such-host.invalid/"): '
        "the host name 'no-such-host.invalid' could not be resolved" in result.stdout
    ), result.stdout
    assert "Check the host in the URL (ws_url)." in result.stdout
    assert time.monotonic() - started < 30


class FaultServer:
    """``tests.fault_server`` in its own process; :meth:`wait_for` reads what it received."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fault_server"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        banner = self.process.stdout.readline()
        assert banner.startswith("listening on "), banner
        self.port = int(banner.split()[-1])
        self.lines = []
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line.strip())
                self._seen.notify_all()

    def wait_for(self, line, timeout=RUN_TIMEOUT):
        with self._seen:
            assert self._seen.wait_for(lambda: line in self.lines, timeout), self.lines

    def url(self, path):
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        self.process.wait(RUN_TIMEOUT)


def test_the_server_process_killed_while_a_step_waits(tmp_path, demo_userdata):
    server = FaultServer()
    try:
        feature = f"""
        Feature: f
          Scenario: the server dies mid-wait
            Given user Rob connects to "{server.url("/die?after=1.0")}"
            When Rob sends {{"last": "words"}}
            Then Rob receives {{"never": "sent"}} within 60 seconds

          Scenario: a later scenario still passes
            Given user Rob connects to the echo endpoint
            When Rob sends {{"still": "here"}}
            Then Rob receives {{"still": "here"}}
        """
        _, outcomes, times = run_feature(tmp_path, demo_userdata, feature)
        assert server.process.wait(RUN_TIMEOUT) == -signal.SIGKILL
    finally:
        server.stop()
    check(
        outcomes,
        times,
        {
            "the server dies mid-wait": (
                [
                    "Rob's connection was lost without a close frame",
                    'of waiting for a JSON message matching {"never": "sent"}; the step failed at once instead of waiting out its '
                    "60-second deadline.",
                ],
                5.0,
            ),
            "a later scenario still passes": (None, 1.0),
        },
    )


def test_a_silent_half_open_peer_ends_the_wait_at_its_deadline_and_teardown_stays_bounded(tmp_path, demo_userdata):
    server = FaultServer()
    feature = f"""
    Feature: f
      Scenario: the server freezes
        Given user Rob connects to "{server.url("/echo")}"
        When Rob sends the text "ready"
        Then Rob receives {{"never": "sent"}} within 1 second

      Scenario: a later scenario still passes
        Given user Rob connects to the echo endpoint
        When Rob sends {{"still": "here"}}
        Then Rob receives {{"still": "here"}}
    """
    project = write_project(tmp_path, feature)
    behave = subprocess.Popen(
        [sys.executable, "-m", "behave", "--no-color", *userdata_args(demo_userdata), "--junit", "--junit-directory", "reports"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        server.wait_for("received ready")
        # Frozen, not dead: the TCP connection stays open and says nothing, not even to a close frame.
        server.process.send_signal(signal.SIGSTOP)
        output, _ = behave.communicate(timeout=RUN_TIMEOUT)
    finally:
        server.stop()
    assert "Traceback" not in output
    check(
        junit_outcomes(project),
        junit_times(project),
        {
            "the server freezes": (
                [
                    'Rob did not receive a JSON message matching {"never": "sent"} within 1 second (waited',
                    "Rob's connection is still open.",
                ],
                1.0 + 0.2 + 1.0 + 1.0,
            ),  # the deadline, the late window, the close the server never answers, slack
            "a later scenario still passes": (None, 1.0),
        },
    )


FRAMES = """
Feature: Frames go wrong
  Scenario: a text frame that is not UTF-8
    Given user Rob connects to the invalidutf8 endpoint
    Then Rob receives {"never": "sent"} within 60 seconds

  Scenario: the server closes with 1011 mid-scenario
    Given user Rob connects to the close endpoint with the query parameters:
      | code   | 1011               |
      | reason | database went away |
      | after  | message            |
    When Rob sends {"order": 1}
    Then Rob receives {"filled": 1} within 60 seconds

  Scenario: a 16 MB frame
    Given user Rob connects to the big endpoint with the query parameter "bytes=16777216"
    Then Rob receives a binary message of 16777216 bytes

  Scenario: text that is not JSON where JSON was expected
    Given user Rob connects to the echo endpoint
    When Rob sends the text "not {json"
    Then Rob receives {"json": true} within 0.3 seconds

  Scenario: binary where text was expected
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes 00 01
    Then Rob receives the text "hello" within 0.3 seconds

  Scenario: a server that sends nothing at all
    Given user Rob connects to the silent endpoint
    Then Rob receives any message within 0.3 seconds

  Scenario: a later scenario still passes
    Given user Rob connects to the echo endpoint
    When Rob sends the text "fine"
    Then Rob receives the text "fine"
"""


def test_frame_faults(tmp_path, demo_servers, demo_userdata):
    userdata = {
        **demo_userdata,
        "ws_url.invalidutf8": demo_servers.protocol.url("/invalid-utf8"),
        "ws_url.big": demo_servers.protocol.url("/big"),
    }
    _, outcomes, times = run_feature(tmp_path, userdata, FRAMES)
    check(
        outcomes,
        times,
        {
            "a text frame that is not UTF-8": (
                [
                    "Rob's connection was closed by this actor with code 1007 (invalid frame payload data), reason "
                    '"Rob closed the connection: the server sent a text frame that is not valid UTF-8',
                ],
                2.0,
            ),  # the frame may arrive before the wait or during it; either way, far inside 60 seconds
            "the server closes with 1011 mid-scenario": (
                [
                    'Rob\'s connection was closed by the server with code 1011 (internal error), reason "database went away"',
                ],
                2.0,
            ),
            "a 16 MB frame": (None, 10.0),
            "text that is not JSON where JSON was expected": (
                ["#1 received text: not {json", "not a match: was text that is not JSON"],
                1.0,
            ),
            "binary where text was expected": (
                ["#1 received binary: <2 bytes> 00 01", "not a match: was a binary message, not text"],
                1.0,
            ),
            "a server that sends nothing at all": (
                [
                    "Rob did not receive any message within 0.3 seconds",
                    "Rob's transcript (0 frames received, 0 sent)",
                ],
                1.0,
            ),
            "a later scenario still passes": (None, 1.0),
        },
    )


STEP_INPUT = """
Feature: Steps written wrongly
  Scenario: malformed JSON
    Given user Rob connects to the echo endpoint
    When Rob sends {"a": }

  Scenario: an unknown actor
    Given user Rob connects to the echo endpoint
    Then Bob receives {"a": 1}

  Scenario: an actor used before it connects
    Given whenever Rob receives {"ping": 1}, Rob replies {"pong": 1}
    When Rob sends {"too": "early"}

  Scenario: an actor connecting twice
    Given user Rob connects to the echo endpoint
    And user Rob connects to the echo endpoint

  Scenario: an unknown expectation word
    Given user Rob connects to the echo endpoint
    Then Rob receives {"a": "<more or less 5>"}

  Scenario: a negative timeout
    Given user Rob connects to the echo endpoint
    Then Rob receives {"a": 1} within -1 seconds

  Scenario: a zero timeout
    Given user Rob connects to the echo endpoint
    Then Rob receives {"a": 1} within 0 seconds

  Scenario: an absurd timeout
    Given user Rob connects to the echo endpoint
    Then Rob does not receive {"a": 1} within 99999 seconds

  Scenario: a later scenario still passes
    Given user Rob connects to the echo endpoint
    When Rob sends {"a": 1}
    Then Rob receives {"a": 1}
"""


def test_step_input_faults(tmp_path, demo_userdata):
    _, outcomes, times = run_feature(tmp_path, demo_userdata, STEP_INPUT)
    check(
        outcomes,
        times,
        {
            "malformed JSON": (['Malformed JSON (step: Rob sends {"a": }): Expecting value at character 7'], 1.0),
            "an unknown actor": (
                ["There is no actor called 'Bob' (step: Bob receives {\"a\": 1}): actors exist once they connect"],
                1.0,
            ),
            "an actor used before it connects": (
                [
                    'Rob cannot send (step: Rob sends {"too": "early"}): Rob never connected. Connect first, e.g. "Given user Rob connects".'
                ],
                1.0,
            ),
            "an actor connecting twice": (
                [
                    "Rob is already connected (to ws://127.0.0.1:",
                    "disconnect it first, or give the second connection another actor name.",
                ],
                1.0,
            ),
            "an unknown expectation word": (["Unknown expectation 'more or less 5'", "Known expectations: anything"], 1.0),
            "a negative timeout": (
                [
                    'The deadline (step: Rob receives {"a": 1} within -1 seconds) is -1 seconds; it must be more than 0 and at most 3600.'
                ],
                1.0,
            ),
            "a zero timeout": (["is 0 seconds; it must be more than 0 and at most 3600."], 1.0),
            "an absurd timeout": (["is 99999 seconds; it must be more than 0 and at most 3600."], 1.0),
            "a later scenario still passes": (None, 1.0),
        },
    )


LEAVES_NOTHING = """
import os
import threading
from behave import then

@then("my own step raises")
def step_raises(context):
    raise RuntimeError("my own step broke")

@then("no reader thread and no socket is left")
def step_nothing_left(context):
    threads = [t.name for t in threading.enumerate() if t.name.startswith("wsitest-reader-")]
    sockets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                sockets.append(fd)
        except FileNotFoundError:  # the directory listing's own descriptor, gone already
            pass
    assert not threads, threads
    # The one socket the demo servers' process may keep is none of ours: behave runs in its own process.
    assert not sockets, sockets
"""


def test_a_step_that_raises_leaves_no_thread_or_socket_behind(tmp_path, demo_userdata):
    feature = """
    Feature: f
      Scenario: my own step raises with three actors connected
        Given users Alice, Bob and Carol connect to the echo endpoint
        When Alice sends {"hi": 1}
        Then my own step raises

      Scenario: nothing is left of it
        Then no reader thread and no socket is left
    """
    _, outcomes, _times = run_feature(tmp_path, demo_userdata, feature, extra_steps=LEAVES_NOTHING, tracebacks=True)
    assert "my own step broke" in outcomes["my own step raises with three actors connected"]
    assert outcomes["nothing is left of it"] is None, outcomes["nothing is left of it"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_ctrl_c_or_sigterm_during_a_wait_ends_behave_promptly_and_closes_every_socket(tmp_path, serve, stop):
    closes = []
    waiting = threading.Event()
    everyone_closed = threading.Event()

    async def record(connection):
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                if await connection.recv() == "waiting":
                    waiting.set()
        except ConnectionClosed as closing:
            closes.append(closing.rcvd.code if closing.rcvd else None)
        if len(closes) == 2:
            everyone_closed.set()

    server = serve(record)
    project = write_project(
        tmp_path,
        f"""
    Feature: f
      Scenario: interrupted
        Given user Rob connects to "ws://127.0.0.1:{server.port}/"
        And user Ann connects to "ws://127.0.0.1:{server.port}/"
        When Rob sends the text "waiting"
        Then Rob receives {{"never": "sent"}} within 120 seconds
    """,
    )
    behave = subprocess.Popen(
        [sys.executable, "-m", "behave", "--no-color"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert waiting.wait(RUN_TIMEOUT)
    interrupted = time.monotonic()
    behave.send_signal(stop)
    output, _ = behave.communicate(timeout=RUN_TIMEOUT)
    ended = time.monotonic() - interrupted
    assert ended < 5, (ended, output)
    assert behave.returncode != 0
    # behave's summary of a stopped run (its "ABORTED: By user." line depends on whether the signal
    # came inside the step or just before it: behave 1.2.6 prints it only for the first).
    assert "0 scenarios passed" in output and "Took " in output, output
    if stop == signal.SIGTERM:
        assert "wsitest-steps: SIGTERM received; stopping the run as Ctrl-C would." in output, output
        assert behave.returncode == 128 + signal.SIGTERM, behave.returncode  # what a stopped process reports
    # The scenario's cleanup still ran: both connections were closed with a close frame ("going
    # away"), not dropped when the process ended.
    assert everyone_closed.wait(5), (closes, output)
    assert closes == [1001, 1001], (closes, output)


BAD_NUMBERS = """
Feature: numbers that are not numbers
  Background:
    Given user Rob connects to the echo endpoint

  Scenario: a deadline that is a word
    Then Rob eventually receives {"a": 1} within abc seconds

  Scenario: a forbidding deadline that is a word
    Then Rob does not receive {"a": 1} within abc seconds

  Scenario: a deadline beyond any float
    Then Rob eventually receives {"a": 1} within 1e309 seconds

  Scenario: a count that is a word
    Then Rob receives exactly many messages matching {"a": 1}

  Scenario: a status that is a word
    Then connecting as Mallory is rejected with status forty

  Scenario: a close code that is a word
    When Rob closes the connection with code soon

  Scenario: a length that is a word
    Then Rob receives a binary message of lots bytes
"""


def test_every_number_in_a_sentence_is_checked_as_a_number(tmp_path, demo_userdata):
    """A bad number is reported as a bad number, naming the word and the allowed range (never as JSON or an undefined step)."""
    _, outcomes, times = run_feature(tmp_path, demo_userdata, BAD_NUMBERS)
    seconds = "which is not a number of seconds; write a number more than 0 and at most 3600, e.g. within 2 seconds."
    check(
        outcomes,
        times,
        {
            "a deadline that is a word": (
                [f"The deadline (step: Rob eventually receives {{\"a\": 1}} within abc seconds) is 'abc', {seconds}"],
                1.0,
            ),
            "a forbidding deadline that is a word": ([f"is 'abc', {seconds}"], 1.0),
            "a deadline beyond any float": ([f"is '1e309', {seconds}"], 1.0),
            "a count that is a word": (
                [
                    "The number of messages (step: Rob receives exactly many messages matching",
                    "is 'many', which is not a whole number; write one from 0 to 1000000.",
                ],
                1.0,
            ),
            "a status that is a word": (
                [
                    "The HTTP status (step: connecting as Mallory is rejected with status forty) is 'forty', which is not a whole number; write one from 100 to 599."
                ],
                1.0,
            ),
            "a close code that is a word": (
                [
                    "The close code (step: Rob closes the connection with code soon) is 'soon', which is not a whole number; write one from 1000 to 4999."
                ],
                1.0,
            ),
            "a length that is a word": (
                [
                    "The length in bytes (step: Rob receives a binary message of lots bytes) is 'lots', which is not a whole number"
                ],
                1.0,
            ),
        },
    )


def test_a_json_error_names_the_position_once():
    from wsitest_steps import StepInputError
    from wsitest_steps.language.values import parse_json

    with pytest.raises(StepInputError) as failure:
        parse_json('{"name": "unterminated}', "s")
    assert "Unterminated string starting at character 10 " in str(failure.value)


MISQUOTED = """
Feature: failures quote the step as written
  Scenario: a count in the singular
    Given users Alice and Bob connect to the echo endpoint
    When Alice sends {"n": 1}
    Then Bob receives exactly 1 message matching {"n": 1} within 0.2 seconds

  Scenario: only one actor
    Given users Alice and Bob connect to the echo endpoint
    Then only Alice receives the text "nobody sends this"

  Scenario: a close in the passive, within one second
    Given user Bob connects to the echo endpoint
    Then Bob's connection is closed by the server within 1 second
"""


def test_the_step_line_of_a_failure_quotes_the_step_as_the_user_wrote_it(tmp_path, demo_userdata):
    _, outcomes, times = run_feature(tmp_path, {**demo_userdata, "ws_timeout": "0.3"}, MISQUOTED)
    check(
        outcomes,
        times,
        {
            "a count in the singular": (['Step: Bob receives exactly 1 message matching {"n": 1} within 0.2 seconds\n'], 2.0),
            "only one actor": (['Step: only Alice receives the text "nobody sends this"\n'], 2.0),
            "a close in the passive, within one second": (
                ["Step: Bob's connection is closed by the server within 1 second\n"],
                3.0,
            ),
        },
    )


def test_a_quoted_name_reaches_ws_url_encoded_and_failures_name_it(tmp_path, demo_userdata):
    feature = """
    Feature: quoted names
      Scenario: a quoted name that receives nothing
        Given user "Rob Smith" connects
        Then "Rob Smith" eventually receives {"message": "never said"} within 0.2 seconds
    """
    _, outcomes, _ = run_feature(tmp_path, {**demo_userdata, "ws_late_window": "0"}, feature)
    failure = outcomes["a quoted name that receives nothing"]
    assert 'Rob Smith did not receive a JSON message matching {"message": "never said"} within 0.2 seconds' in failure
    assert "connected to ws://127.0.0.1:" in failure and "name=Rob%20Smith" in failure, failure
    assert '#1 received text: {"message": "Rob Smith has connected"' in failure, failure


SEVERAL_ACTORS = """
Feature: several actors, one window
  Scenario: a message one actor had used already
    Given users Alice and Bob connect to the echo endpoint
    When Alice sends {"x": 1}
    Then Alice receives {"x": 1}
    Then Alice and Bob receive {"x": 1} within 0.3 seconds

  Scenario: a forbidden message that was waiting already
    Given user Rob connects to the echo endpoint
    When Rob sends {"spam": 1}
    And Rob sends {"ok": 1}
    Then Rob receives {"ok": 1}
    Then Rob does not receive {"spam": 1} within 0.5 seconds
"""


def test_multi_actor_and_forbidding_failures_say_what_happened_not_a_zero_wait_or_a_negative_offset(tmp_path, demo_userdata):
    _, outcomes, _ = run_feature(tmp_path, {**demo_userdata, "ws_late_window": "0"}, SEVERAL_ACTORS)
    used = outcomes["a message one actor had used already"]
    assert (
        'Alice did not receive a JSON message matching {"x": 1} within 0.3 seconds, other than #1, which had been used already, by the step: Alice receives {"x": 1}.'
        in used
    ), used
    assert (
        'Bob did not receive a JSON message matching {"x": 1} within 0.3 seconds (one deadline for every actor of the step).'
        in used
    ), used
    assert "waited 0.000s" not in used
    waiting = outcomes["a forbidden message that was waiting already"]
    assert (
        'Rob received a JSON message matching {"spam": 1}, which the step forbids: frame #1, which was waiting already when the step began (it arrived at +'
        in waiting
    ), waiting
    assert "-0." not in waiting.split("Step:")[0]
