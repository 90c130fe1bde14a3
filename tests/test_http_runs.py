"""HTTP beside the socket: failures as users see them, secrets kept out, and no frozen actors."""

import time

from tests.behave_project import run_behave, userdata_args, write_project
from tests.test_real_api_runs import check, run_feature
from wsitest_steps import Cast, Settings
from wsitest_steps.matching.json import json_message

FAILING = """
Feature: HTTP, failing
  Scenario: another status than expected
    When Rob requests POST /broadcast with the body {"message": "Hi"}
    Then Rob's response has status 202

  Scenario: a body that does not match
    When Rob requests GET /users/Rob
    Then Rob's response is {"name": "Rob", "online": "<any string>", "admin": true}

  Scenario: a body that is not JSON
    When Rob requests GET /users/Rob
    Then Rob's response is {"name": "Rob"}
    And Rob's response is the text "plain"

  Scenario: a header that does not match
    When Rob requests GET /users/Rob
    Then Rob's response has the header "Content-Type" containing "xml"

  Scenario: no request yet
    Then Rob's response has status 200

  Scenario: nothing at the path to remember
    When Rob requests GET /users/Rob
    And Rob remembers $.token from the response as token

  Scenario: nobody listens
    When Rob requests GET http://127.0.0.1:{CLOSED_PORT}/status

  Scenario: too slow for http_timeout
    When Rob requests GET /slow?seconds=3

  Scenario: a trigger that never comes
    Given user Rob connects
    When Rob receives {"message": "never"} within 0.2 seconds then requests GET /users/Rob

  Scenario: HTTP still works afterwards
    When Rob requests GET /users/Ann
    Then Rob's response has status 200
"""


def test_http_failures_name_actor_method_url_status_and_body(tmp_path, demo_userdata, closed_port):
    feature = FAILING.replace("{CLOSED_PORT}", str(closed_port))
    _result, outcomes = run_feature(tmp_path, {**demo_userdata, "http_timeout": "0.5", "ws_timeout": "0.3"}, feature)
    http = demo_userdata["http_url"]
    check(
        outcomes,
        {
            "another status than expected": [
                f"Rob expected status 202, but POST {http}/broadcast answered 401 Unauthorized in ",
                ': {"error": "log in first: POST /login, then send Authorization: Bearer <token>"} (step: Rob\'s response has status 202).',
            ],
            "a body that does not match": [
                'Rob\'s response is not a JSON message matching {"name": "Rob", "online": <any string>, "admin": true}: '
                "$.online was false (a boolean), expected <any string>; $.admin is missing, expected true",
                f"The exchange: GET {http}/users/Rob answered 200 OK in ",
            ],
            "a body that is not JSON": [
                'Rob\'s response is not the text "plain": was the text {"name": "Rob", "online": false}',
            ],
            "a header that does not match": [
                'Rob expected the response header Content-Type to be <containing "xml">, but the response had Content-Type: application/json'
            ],
            "no request yet": [
                "Rob has made no HTTP request in this scenario (step: Rob's response has status 200); make one first"
            ],
            "nothing at the path to remember": [
                f"There is nothing at $.token in Rob's response to GET {http}/users/Rob",
                'It was: {"name": "Rob", "online": false}',
            ],
            "nobody listens": [
                f"Rob could not GET http://127.0.0.1:{closed_port}/status",
                "the connection failed (connection refused)",
            ],
            "too slow for http_timeout": [
                f"Rob's GET {http}/slow?seconds=3 got no response within 0.5 seconds",
                "Raise http_timeout",
            ],
            "a trigger that never comes": ['Rob did not receive a JSON message matching {"message": "never"}'],
            "HTTP still works afterwards": None,
        },
    )


def test_no_secret_from_an_authorization_header_appears_in_any_output(tmp_path, demo_servers, demo_userdata):
    feature = """
    Feature: f
      Scenario: a token used, echoed and failed on
        When Rob requests POST /login with {"name": "Rob"}
        And Rob remembers $.token from the response as token
        And user Rob connects to the headers endpoint with the header "Authorization: Bearer {token}"
        And Rob requests GET /users/Rob?token={token} with the header "Authorization: Bearer {token}"
        Then Rob receives {"headers": {"authorization": "Bearer {token}"}}
        And Rob receives {"never": "arrives"} within 0.2 seconds
    """
    project = write_project(tmp_path, feature)
    result = run_behave(
        project, *userdata_args(demo_userdata), "--junit", "--junit-directory", "reports", "-D", "ws_log=frames", "--no-capture"
    )
    assert result.returncode == 1, result.stdout
    junit = (project / "reports" / "TESTS-test.xml").read_text()
    assert "Rob's transcript" in junit and "requested GET" in junit
    tokens = [line for line in junit.splitlines() + result.stdout.splitlines() if "***" in line]
    assert tokens, "the report should show where the secret was"
    # The token is random: the chat fixture remembers the ones it issued.
    issued = list(demo_servers.chat.room.tokens)
    assert issued
    for token in issued:
        assert token not in result.stdout
        assert token not in junit


def test_a_slow_request_does_not_stop_another_actor_receiving(demo_servers):
    """The websocket frame that the slow endpoint triggers arrives while the request is still running."""
    cast = Cast(Settings(url_template=demo_servers.chat.url, http_url=demo_servers.chat.http_url))
    try:
        ann = cast.connect("Ann")
        ann.expect(json_message({"message": "Ann has connected"}), 5)
        exchange = cast.http("Rob").request("GET", "/slow?seconds=2")
        frame = ann.expect(json_message({"message": "slow request started"}), 0.1)
        assert exchange.status == 200
        # Received (by Ann's reader thread) at least a second before the response came back.
        assert frame.received_at < exchange.finished_at - 1.0, (frame.received_at, exchange.started_at, exchange.finished_at)
        assert frame.received_at >= exchange.started_at
    finally:
        cast.close_all()


def test_a_rule_keeps_answering_during_a_slow_request(demo_servers):
    from wsitest_steps.model.frames import Outgoing

    cast = Cast(Settings(url_template=demo_servers.chat.url, http_url=demo_servers.chat.http_url))
    try:
        ann = cast.connect("Ann")
        ann.answer(
            json_message({"message": "slow request started"}),
            "the rule: answer",
            lambda frame: Outgoing.json({"message": "still here"}),
        )
        started = time.monotonic()
        exchange = cast.http("Rob").request("GET", "/slow?seconds=2")
        reply = ann.expect(json_message({"message": "Ann: still here"}), 1)
        assert started <= reply.received_at < exchange.finished_at - 1.0
    finally:
        cast.close_all()


def test_a_delayed_request_waits_at_least_its_delay(demo_servers):
    cast = Cast(Settings(http_url=demo_servers.chat.http_url))
    try:
        client = cast.http("Rob")
        started = time.monotonic()
        client.pause(0.2)
        exchange = client.request("GET", "/users/Rob")
        assert exchange.started_at - started >= 0.2
    finally:
        cast.close_all()


def test_a_request_is_repeated_until_it_answers_and_fails_with_its_last_answer(tmp_path):
    import http.server
    import json as json_module
    import threading

    from tests.behave_project import run_behave, write_project

    asked = {"count": 0}

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked["count"] += 1
            body = json_module.dumps({"count": asked["count"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feature = """\
Feature: polling
  Scenario: the count grows to three
    Then GET /clients eventually answers {"count": 3} within 5 seconds

  Scenario: the count never goes back
    Then Rob's GET /clients eventually answers {"count": 1} within 0.3 seconds
"""
        project = write_project(tmp_path, feature)
        result = run_behave(project, "-D", f"http_url=http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    assert "1 scenario passed, 1 failed" in result.stdout, result.stdout
    assert 'GET /clients did not answer a JSON message matching {"count": 1} within 0.3 seconds' in result.stdout
    assert "Rob asked " in result.stdout and "and the last answer differs: $.count was" in result.stdout
    assert "Traceback" not in result.stdout
