"""Rules for every actor, pings left unanswered, per-endpoint handshake defaults: as behave runs them, passing and failing."""

from tests.behave_project import failing_first, run_behave, userdata_args, write_project
from tests.conftest import url_of
from tests.test_timeline_runs import assert_fails_with, scenario


def test_a_rule_for_anyone_answers_for_actors_connected_and_still_to_come(tmp_path, chat_server):
    project = write_project(
        tmp_path,
        scenario(
            "Given users Alice and Bob connect",
            'And whenever anyone receives {"message": "Carol has connected"}, they reply {"message": "Hi Carol"}',
            "When user Carol connects",
            "Then Carol receives all of these, in any order:",
            "  | message                       |",
            '  | {"message": "Alice: Hi Carol"} |',
            '  | {"message": "Bob: Hi Carol"}   |',
            '  | {"message": "Carol: Hi Carol"} |',
        ),
    )
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert result.returncode == 0, failing_first(result.stdout)


def test_a_rule_for_anyone_with_a_malformed_reply_fails_at_its_own_step(tmp_path, chat_server):
    project = write_project(tmp_path, scenario('Given whenever anyone receives {"message": "x"}, they reply {"message": oops}'))
    result = run_behave(project, "-D", f"ws_url={chat_server.url}")
    assert_fails_with(result, "Malformed JSON", 'whenever anyone receives {"message": "x"}, they reply {"message": oops}')


def test_an_actor_that_does_not_answer_pings_is_dropped_by_a_server_that_checks(tmp_path, serve):
    async def wait(connection):
        await connection.wait_closed()

    server = serve(wait, ping_interval=0.2, ping_timeout=0.3)
    silent = write_project(
        tmp_path / "silent",
        scenario("Given user Rob connects", "And Rob does not answer pings", "Then Rob's connection ends within 3 seconds"),
    )
    assert run_behave(silent, "-D", f"ws_url={url_of(server)}").returncode == 0
    answering = write_project(
        tmp_path / "answering", scenario("Given user Rob connects", "Then Rob's connection ends within 1 second")
    )
    assert_fails_with(
        run_behave(answering, "-D", f"ws_url={url_of(server)}"),
        "Rob's connection did not end within 1 second: it is still open.",
        "received ping",
        "Step: Rob's connection ends within 1 second",
    )


def test_several_users_connect_with_the_same_handshake_options(tmp_path, demo_userdata):
    project = write_project(
        tmp_path,
        scenario(
            'Given users Alice and Bob connect to the headers endpoint with the header "X-Room: 7"',
            'Then Alice receives {"headers": {"x-room": "7"}}',
            'And Bob receives {"headers": {"x-room": "7"}}',
        ),
    )
    assert run_behave(project, *userdata_args(demo_userdata)).returncode == 0
    bad = write_project(tmp_path / "bad", scenario('Given users Alice and Bob connect with the header "no colon"'))
    assert_fails_with(run_behave(bad, *userdata_args(demo_userdata)), 'write a header as "Name: value"')


def test_userdata_gives_an_endpoint_its_subprotocols_and_headers_under_the_steps_own(tmp_path, demo_userdata):
    project = write_project(
        tmp_path,
        scenario(
            "Given user Rob connects to the headers endpoint",
            'Then Rob receives {"headers": {"x-team": "blue", "x-api-key": "k1"}}',
            'Given user Ann connects to the headers endpoint with the header "X-Trace: 7"',
            'Then Ann receives {"headers": {"x-team": "blue", "x-trace": "7"}}',
            "Given user Sam connects to the subprotocols endpoint",
            'Then Sam\'s connection uses the subprotocol "chat.v2"',
        ),
    )
    userdata = {
        **demo_userdata,
        "ws_headers.headers": "X-Team: blue; X-Api-Key: k1",
        "ws_subprotocols.subprotocols": "chat.v2, chat.v1",
    }
    result = run_behave(project, *userdata_args(userdata))
    assert result.returncode == 0, failing_first(result.stdout)
    bad = write_project(tmp_path / "bad", scenario("Given user Rob connects to the headers endpoint"))
    result = run_behave(bad, *userdata_args({**demo_userdata, "ws_headers.headers": "no colon here"}))
    assert result.returncode != 0
    assert "The ws_headers.headers setting has 'no colon here'; write headers as \"Name: value; Other: value\"." in result.stdout
