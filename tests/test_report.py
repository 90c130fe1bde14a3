"""Reports: transcripts of every actor on failure, live frame logs, and sequence diagrams (Mermaid, SVG, HTML)."""

import io
import json
import os
import re
import time

import pytest

from tests.behave_project import failing_first, junit_outcomes, run_behave, userdata_args, write_project
from tests.browser import Chromium, find_or_install_chromium
from tests.test_demo_suite import ROOT
from wsitest_steps import Cast, Settings
from wsitest_steps.matching.json import json_message
from wsitest_steps.reporting.conversation import Gap, StepRecord, conversation_of

TWO_ACTORS_ONE_FAILS = """
Feature: Reports
  Scenario: one actor fails, the other's transcript comes along
    Given user Rob connects
    And user Ann connects
    When Ann sends {"message": "hi"}
    Then Rob receives {"message": "Ann: bye"} within 0.2 seconds

  Scenario: a custom step fails, every transcript comes along
    Given user Rob connects
    When Cat requests GET /users/Rob
    Then my own check fails
"""

CUSTOM_FAILING_STEP = """
from behave import then

@then("my own check fails")
def step_my_own_check(context):
    assert False, "my own check failed"
"""


def test_a_failure_carries_every_actors_transcript_in_the_output_and_the_junit_xml(tmp_path, demo_userdata):
    project = write_project(tmp_path, TWO_ACTORS_ONE_FAILS, extra_steps=CUSTOM_FAILING_STEP)
    result = run_behave(project, *userdata_args(demo_userdata), "--junit", "--junit-directory", "reports")
    assert result.returncode == 1
    outcomes = junit_outcomes(project)
    first = outcomes["one actor fails, the other's transcript comes along"]
    assert first.count("Rob's transcript (") == 1 and first.count("Ann's transcript (") == 1, first
    assert "Transcripts of the other actors in this scenario:" in first
    assert 'sent text: {"message": "hi"}' in first
    second = outcomes["a custom step fails, every transcript comes along"]
    assert "my own check failed" in second
    assert "Transcripts of the actors in this scenario:" in second
    assert "Rob's transcript (" in second
    assert "Cat's transcript (0 frames received, 0 sent)" in second
    assert "requested GET http://127.0.0.1:" in second and "Cat opened no websocket in this scenario." in second
    # behave's own output shows them too.
    assert "Ann's transcript (" in result.stdout and "Cat opened no websocket in this scenario." in result.stdout


def test_ws_log_frames_logs_every_frame_as_it_flows(tmp_path, demo_userdata):
    feature = """
    Feature: f
      Scenario: s
        Given user Rob connects to the echo endpoint
        When Rob sends the text "logged"
        Then Rob receives the text "logged"
    """
    project = write_project(tmp_path, feature)
    result = run_behave(
        project, *userdata_args(demo_userdata), "-D", "ws_log=frames", "--no-capture", "--logging-level=INFO", "--no-logcapture"
    )
    assert result.returncode == 0, failing_first(result.stdout)
    assert re.search(r"Rob sent text: logged", result.stdout), result.stdout
    assert re.search(r"Rob received #1 text: logged", result.stdout), result.stdout
    quiet = run_behave(project, *userdata_args(demo_userdata), "--no-capture", "--logging-level=INFO", "--no-logcapture")
    assert "Rob sent text" not in quiet.stdout


# -- the diagram model and its renderings -------------------------------------------------


@pytest.fixture
def recorded_cast(demo_servers):
    cast = Cast(Settings(url_template=demo_servers.chat.url, http_url=demo_servers.chat.http_url))
    started = time.monotonic()
    rob = cast.connect("Rob", step="user Rob connects")
    rob.expect(json_message({"message": "Rob has connected"}), 5, step="Rob receives it")
    rob.send_json({"message": "<b>&</b>; # 100%"})
    rob.expect(json_message({"message": "Rob: <b>&</b>; # 100%"}), 5)
    cast.http("Rob").request("GET", "/users/Rob")
    steps = [
        StepRecord("Given user Rob connects", "passed", started),
        StepRecord("Then Rob receives a lie", "failed", time.monotonic(), "Rob did not receive it\nand more lines"),
    ]
    cast.close_all()
    return cast, steps


def test_the_conversation_holds_every_arrow_in_time_order(recorded_cast):
    cast, steps = recorded_cast
    conversation = conversation_of(cast, "s", "failed", steps)
    assert conversation.lifelines[0] == "Rob"
    assert conversation.lifelines[1].startswith("server 127.0.0.1:") and conversation.lifelines[2].startswith("HTTP 127.0.0.1:")
    kinds = [arrow.kind for arrow in conversation.arrows]
    assert kinds[:2] == ["connect", "used"] and "sent" in kinds and "request" in kinds and "response" in kinds
    assert kinds[-1] == "close"  # the scenario's teardown
    times = [item.at for item in conversation.items]
    assert times == sorted(times)


def test_mermaid_text_escapes_what_mermaid_would_misread_and_marks_failures(recorded_cast):
    cast, steps = recorded_cast
    text = conversation_of(cast, "s", "failed", steps).mermaid()
    assert text.startswith("sequenceDiagram\n    participant P0 as Rob\n")
    assert "#lt;b#gt;&#lt;/b#gt;#59; #35; 100#37;" in text
    assert "rect rgb(255, 220, 220)" in text and "✗ Then Rob receives a lie (failed) — Rob did not receive it" in text
    assert "<b>" not in text


def test_the_svg_escapes_every_text_and_tags_arrows_for_tests_and_tooltips(recorded_cast):
    cast, steps = recorded_cast
    svg = conversation_of(cast, "s", "failed", steps).svg()
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<b>" not in svg and "&lt;b&gt;&amp;&lt;/b&gt;" in svg
    assert svg.count('class="arrow') == len(conversation_of(cast, "s", "failed", steps).arrows)
    assert 'class="step failed"' in svg


def test_a_flood_is_shortened_to_its_beginning_and_end(demo_servers):
    cast = Cast(Settings(url_template=demo_servers.chat.url))
    try:
        rob = cast.connect("Rob")
        for i in range(400):
            rob.send_json({"message": str(i)})
        rob.expect(json_message({"message": "Rob: 399"}), 10)
    finally:
        cast.close_all()
    conversation = conversation_of(cast, "s", "passed")
    gaps = [item for item in conversation.items if isinstance(item, Gap)]
    assert len(gaps) == 1 and gaps[0].count > 500
    assert len(conversation.arrows) == 240


# -- the demo suite's report ----------------------------------------------------------------


def both_reports(html, markdown):
    """behave's arguments for the HTML report and the Mermaid diagrams, written to these files."""
    return [
        "-f",
        "wsitest_steps.report:HTMLFormatter",
        "-o",
        str(html),
        "-f",
        "wsitest_steps.report:MermaidFormatter",
        "-o",
        str(markdown),
    ]


def run_demo_with_reports(tmp_path, broker_args):
    html, markdown = tmp_path / "report.html", tmp_path / "diagrams.md"
    result = run_behave(
        ROOT,
        *broker_args,
        *both_reports(html, markdown),
        "-f",
        "progress",
        "features/",
    )
    assert result.returncode == 0, failing_first(result.stdout)
    scenarios = int(re.search(r"(\d+) scenarios? passed", result.stdout).group(1))
    return html, markdown, scenarios


def test_the_demo_report_is_one_self_contained_file_with_a_diagram_per_scenario(tmp_path, broker_args):
    html, markdown, scenarios = run_demo_with_reports(tmp_path, broker_args)
    text = html.read_text()
    assert text.count('<details class="scenario') == scenarios
    assert text.count('<div class="diagram"><svg') == scenarios
    # Nothing to fetch: no scripts, stylesheets, images or frames from anywhere.
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(http", text, re.IGNORECASE)
    assert markdown.read_text().count("```mermaid\nsequenceDiagram") == scenarios


@pytest.fixture(scope="module")
def chromium_path():
    path = find_or_install_chromium()
    if path is None:
        if os.environ.get("WSITEST_CI"):
            pytest.fail("Debian's chromium is required in CI (WSITEST_CI is set) but could not be installed")
        pytest.skip("needs Debian's chromium: run as root (the test installs it) or apt-get install chromium")
    return path


ARROW_GEOMETRY = """
(() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const diagrams = [...document.querySelectorAll('details.scenario')].map(s => s.querySelectorAll('.diagram svg').length);
  const svg = document.querySelector('.diagram svg');
  const page = r => ({x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height});
  const lifelines = [...svg.querySelectorAll('.lifeline')].map(l => page(l.getBoundingClientRect()).x);
  const arrows = [...svg.querySelectorAll('g.arrow .shaft')].map(l => ({
      box: page(l.getBoundingClientRect()), colour: l.getAttribute('stroke'),
      dashed: l.hasAttribute('stroke-dasharray'), kind: l.parentNode.dataset.kind}));
  return {diagrams, svg: page(svg.getBoundingClientRect()), lifelines, arrows};
})()
"""


@pytest.mark.heavy
def test_chromium_draws_arrows_between_lifelines_in_every_scenario(tmp_path, chromium_path, broker_args):
    from PIL import Image

    html, _, scenarios = run_demo_with_reports(tmp_path, broker_args)
    with Chromium(chromium_path) as browser:
        browser.open(html.as_uri())
        drawn = browser.evaluate(ARROW_GEOMETRY)
        assert drawn["diagrams"] == [1] * scenarios
        box = drawn["svg"]
        png = browser.screenshot(box["x"], box["y"], box["w"], box["h"])
    (tmp_path / "first-diagram.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (round(box["w"]), round(box["h"]))
    lifelines = drawn["lifelines"]
    assert len(lifelines) >= 2 and len(drawn["arrows"]) >= 2
    for arrow in drawn["arrows"]:
        start, end = arrow["box"]["x"], arrow["box"]["x"] + arrow["box"]["w"]
        # Each arrow runs from one lifeline to another (the arrowhead stops it 2 px short).
        assert min(abs(start - x) for x in lifelines) <= 4, (arrow, lifelines)
        assert min(abs(end - x) for x in lifelines) <= 4, (arrow, lifelines)
        assert end - start > 100
        # And the screenshot shows it: along its length, pixels nearer its colour than the white page
        # (anti-aliasing blends a 1.5-pixel line into the rows around it, so look one or two rows up and down).
        y = round(arrow["box"]["y"] + arrow["box"]["h"] / 2 - box["y"])
        wanted = tuple(int(arrow["colour"][i : i + 2], 16) for i in (1, 3, 5))
        drawn_columns = 0
        for k in range(2, 38):
            x = round(start - box["x"] + (end - start) * k / 40)
            column = [image.getpixel((x, row)) for row in range(y - 2, y + 3)]
            if any(_distance(p, wanted) < _distance(p, (255, 255, 255)) for p in column):
                drawn_columns += 1
        share = drawn_columns / 36
        assert share >= (0.3 if arrow["dashed"] else 0.9), (arrow, share)


def _distance(a, b):
    return sum(abs(x - y) for x, y in zip(a, b))


@pytest.mark.heavy
def test_a_failed_step_is_a_red_band_in_the_drawn_diagram(tmp_path, demo_userdata, chromium_path):
    from PIL import Image

    project = write_project(tmp_path, TWO_ACTORS_ONE_FAILS.split("  Scenario: a custom step")[0])
    html = tmp_path / "report.html"
    run_behave(project, *userdata_args(demo_userdata), "-f", "wsitest_steps.report:HTMLFormatter", "-o", str(html))
    with Chromium(chromium_path) as browser:
        browser.open(html.as_uri())
        band = browser.evaluate(
            "(() => { const r = document.querySelector('.diagram g.step.failed rect').getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,"
            " text: document.querySelector('.diagram g.step.failed text').textContent}; })()"
        )
        png = browser.screenshot(band["x"], band["y"], band["w"], band["h"])
    assert band["text"].startswith('✗ Then Rob receives {"message": "Ann: bye"} within 0.2 seconds — failed after 0.'), band[
        "text"
    ]
    assert "s — Rob did not receive" in band["text"], band["text"]
    image = Image.open(io.BytesIO(png)).convert("RGB")
    background = image.getpixel((image.width - 5, image.height // 2))
    assert background == (0xFF, 0xEB, 0xE9), background


def test_no_secret_reaches_the_html_or_mermaid_report(tmp_path, demo_servers, demo_userdata):
    feature = """
    Feature: f
      Scenario: a token in headers and URLs
        When Rob requests POST /login with {"name": "Rob"}
        And Rob remembers $.token from the response as token
        And user Rob connects to the headers endpoint with the header "Authorization: Bearer {token}"
        And Rob requests GET /users/Rob?token={token} with the header "Authorization: Bearer {token}"
        Then Rob receives {"headers": {"authorization": "Bearer {token}"}}
    """
    project = write_project(tmp_path, feature)
    html, markdown = tmp_path / "r.html", tmp_path / "r.md"
    result = run_behave(
        project,
        *userdata_args(demo_userdata),
        *both_reports(html, markdown),
    )
    assert result.returncode == 0, failing_first(result.stdout)
    tokens = list(demo_servers.chat.room.tokens)
    for text in (html.read_text(), markdown.read_text(), result.stdout):
        assert "***" in text or text is result.stdout
        for token in tokens:
            assert token not in text
    assert json.dumps("Authorization: ***")[1:-1] in html.read_text()


def test_labels_use_the_width_and_a_failed_wait_shows_how_long_it_lasted():
    """Two lifelines fill a page's width, so a long label is drawn whole; a failed step says how long it ran."""
    from wsitest_steps.reporting.conversation import Arrow, Conversation, StepMark

    label = 'text: {"message": "a label long enough to have been cut at sixty characters before"}'
    conversation = Conversation(
        "s",
        "failed",
        lifelines=["Rob", "server 127.0.0.1:1"],
        items=[
            Arrow(1.0, "Rob", "server 127.0.0.1:1", label, "sent"),
            StepMark(1.1, StepRecord("Then Rob receives {}", "failed", 1.1, "Rob did not receive it", 2.5)),
        ],
    )
    svg = conversation.svg()
    assert 'width="1100"' in svg
    assert label.replace('"', "&quot;") in svg or label in svg, svg
    assert "failed after 2.500s — Rob did not receive it" in svg
    assert "(failed after 2.500s) — Rob did not receive it" in conversation.mermaid()
