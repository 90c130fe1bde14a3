"""The JSON-RPC 2.0 plug-in of docs/protocols.md, as a user installs it: copied under features/steps/, run by behave.

The server is a JSON-RPC 2.0 server written here with websockets; it answers two requests in
the reverse of the order they came in, so only matching by id can pair each answer with its request.
"""

import json
import shutil

import pytest

from tests.behave_project import junit_outcomes, run_behave, write_project
from tests.conftest import url_of
from tests.test_demo_suite import ROOT

METHODS = {"add": lambda a, b: a + b, "subtract": lambda a, b: a - b}


async def json_rpc(connection):
    waiting = []
    async for raw in connection:
        request = json.loads(raw)
        if request["method"] not in METHODS:
            error = {"code": -32601, "message": "Method not found"}
            await connection.send(json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": error}))
            continue
        waiting.append(request)
        if len(waiting) == 2:
            for held in reversed(waiting):
                result = METHODS[held["method"]](*held["params"])
                await connection.send(json.dumps({"jsonrpc": "2.0", "id": held["id"], "result": result}))
            waiting.clear()
            await connection.send(json.dumps({"jsonrpc": "2.0", "method": "done", "params": {"answered": 2}}))


FEATURE = """\
Feature: JSON-RPC
  Scenario: answers are paired with their requests by id
    Given user Alice connects with JSON-RPC
    When Alice sends {"method": "add", "params": [1, 2]}
    And Alice sends {"method": "subtract", "params": [5, 3]}
    Then Alice receives 3 from add
    And Alice receives 2 from subtract
    And Alice receives {"answered": 2}

  Scenario: an unknown method is an error answer
    Given user Alice connects with JSON-RPC
    When Alice sends {"method": "frobnicate", "params": []}
    Then Alice receives {"code": -32601} from frobnicate

  Scenario: a wrong result fails naming the answer it got
    Given user Alice connects with JSON-RPC
    When Alice sends {"method": "add", "params": [1, 2]}
    And Alice sends {"method": "subtract", "params": [5, 3]}
    Then Alice receives 4 from add within 0.5 seconds

  Scenario: a request without a method is explained
    Given user Alice connects with JSON-RPC
    When Alice sends {"params": [1]}
"""


@pytest.fixture
def run(tmp_path, serve):
    server = serve(json_rpc)
    project = write_project(tmp_path, FEATURE)
    shutil.copy(ROOT / "docs" / "examples" / "jsonrpc_protocol.py", project / "features" / "steps" / "jsonrpc_protocol.py")
    result = run_behave(project, "-D", f"ws_url={url_of(server)}", "--junit", "--junit-directory", "reports")
    return result, junit_outcomes(project)


def test_the_plugin_pairs_answers_by_id_and_failures_name_what_came(run):
    result, outcomes = run
    assert "Traceback" not in result.stdout, result.stdout
    assert outcomes["answers are paired with their requests by id"] is None, result.stdout
    assert outcomes["an unknown method is an error answer"] is None, result.stdout
    wrong = outcomes["a wrong result fails naming the answer it got"]
    assert "Alice did not receive a JSON message matching 4 from add within 0.5 seconds" in wrong
    assert "received JSON-RPC result #1 on add: 3" in wrong
    assert "not a match: $ was 3, expected 4" in wrong
    assert 'received JSON-RPC notification "done": {"answered": 2}' in wrong
    assert "not a match: was not from add" in wrong
    missing = outcomes["a request without a method is explained"]
    assert 'A JSON-RPC request needs a "method"' in missing
