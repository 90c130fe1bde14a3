"""The README's examples run as written."""

import re

from tests.behave_project import failing_first, run_behave, write_project
from tests.test_demo_suite import ROOT


def code_blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)


def test_the_opening_example_and_the_custom_step_example_pass(tmp_path, chat_server):
    feature = code_blocks("gherkin")[0] + "\n  Scenario: A custom step\n    Given user Rob connects\n    Then Rob is greeted\n"
    custom_step = next(block for block in code_blocks("python") if "@then" in block)
    project = write_project(tmp_path, feature, extra_steps="\n" + custom_step)
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "2 scenarios passed, 0 failed" in result.stdout


def test_the_protocols_example_passes_against_the_demo_servers(tmp_path, demo_servers):
    from tests.behave_project import userdata_args

    feature = next(block for block in code_blocks("gherkin") if "Socket.IO" in block)
    project = write_project(tmp_path, feature)
    result = run_behave(project, *userdata_args(demo_servers.userdata()))
    assert result.returncode == 0, failing_first(result.stdout)
    assert "2 scenarios passed, 0 failed" in result.stdout
