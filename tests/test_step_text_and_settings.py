"""Step words and userdata become values, or errors that say what to write instead."""

import pytest

from wsitest_steps import ConfigurationError, Settings, StepInputError
from wsitest_steps.language.messages import split_pair
from wsitest_steps.language.values import parse_json, parse_names, parse_seconds


@pytest.mark.parametrize(
    "template, name, url",
    [
        ("ws://h:1/?name={name}", "Rob", "ws://h:1/?name=Rob"),
        ("ws://h:1/?name={name}", "Rob Smith", "ws://h:1/?name=Rob%20Smith"),
        ("ws://h:1/?name={name}", "a&b=c", "ws://h:1/?name=a%26b%3Dc"),
        ("ws://h:1/chat?room=1&name={name}", "Rob", "ws://h:1/chat?room=1&name=Rob"),
        ("ws://h:1/users/{name}/feed", "ann/lee", "ws://h:1/users/ann%2Flee/feed"),
        ("ws://h:1/feed", "Rob", "ws://h:1/feed"),
    ],
)
def test_url_template_encodes_the_name_and_keeps_the_rest(template, name, url):
    assert Settings(url_template=template).url_for(name) == url


def test_settings_from_userdata_with_defaults():
    settings = Settings.from_userdata({"ws_url": "wss://example.test/?name={name}"})
    assert (settings.timeout, settings.connect_timeout) == (5.0, 5.0)
    assert Settings.from_userdata({"ws_timeout": "0.5", "ws_connect_timeout": "2"}).timeout == 0.5


def test_no_url_configured_says_how_to_configure_one():
    with pytest.raises(ConfigurationError) as failure:
        Settings().url_for("Rob")
    assert "-D ws_url=ws://host:port/path?name={name}" in str(failure.value)
    assert "[behave.userdata]" in str(failure.value)


@pytest.mark.parametrize(
    "userdata, message",
    [
        ({"ws_timeout": "soon"}, "The ws_timeout setting is 'soon', which is not a number of seconds; use e.g. -D ws_timeout=5."),
        ({"ws_timeout": "-1"}, "The ws_timeout setting is -1 seconds; it must be more than 0 and at most 3600."),
        (
            {"ws_connect_timeout": "1e9"},
            "The ws_connect_timeout setting is 1e+09 seconds; it must be more than 0 and at most 3600.",
        ),
        ({"ws_url": "http://h/"}, "the ws_url setting 'http://h/' is not a websocket URL"),
    ],
)
def test_invalid_settings_are_explained(userdata, message):
    with pytest.raises(ConfigurationError) as failure:
        Settings.from_userdata(userdata)
    assert message in str(failure.value)


def test_malformed_json_points_at_the_error_and_names_the_step():
    with pytest.raises(StepInputError) as failure:
        parse_json('{message: "Hi"}', 'Rob sends {message: "Hi"}')
    assert str(failure.value) == (
        'Malformed JSON (step: Rob sends {message: "Hi"}): Expecting property name enclosed in double quotes '
        'at character 2 (marked >>>: {>>>message: "Hi"}). Write strict JSON: double-quoted keys and strings, '
        'no trailing commas, e.g. {"message": "Hello"}.'
    )


def test_duplicate_keys_and_nan_are_refused():
    with pytest.raises(StepInputError, match='the key "a" appears twice in one object'):
        parse_json('{"a": 1, "a": 2}', "s")
    with pytest.raises(StepInputError, match="NaN is not valid JSON"):
        parse_json('{"a": NaN}', "s")


def test_any_json_value_is_accepted():
    assert parse_json('[1, "two", null]', "s") == [1, "two", None]
    assert parse_json('"text"', "s") == "text"


def split_trigger(text):
    """How "receives X then sends Y" is split, with JSON on both sides."""
    return split_pair(text, " then sends", lambda w: parse_json(w, "s"), lambda w: parse_json(w, "s"), "s", "X then sends Y")


def test_trigger_split_survives_the_separator_inside_a_string():
    assert split_trigger('{"m": "a then sends b"} then sends {"m": "c"}') == ({"m": "a then sends b"}, {"m": "c"})


def test_trigger_split_without_valid_json_sides_is_explained():
    # The split that parses furthest names the JSON that is wrong.
    with pytest.raises(StepInputError, match=r"Malformed JSON \(step: s\): Expecting property name enclosed in double quotes"):
        split_trigger('{"m": 1} then sends {oops}')


def test_names_lists():
    assert parse_names("Alice and Bob") == ["Alice", "Bob"]
    assert parse_names("Alice, Bob and Carol") == ["Alice", "Bob", "Carol"]
    assert parse_names('"Rob Smith" and Ann') == ["Rob Smith", "Ann"]
    assert parse_names('Ann, "a&b=c" and "Mr. and Mrs. Smith"') == ["Ann", "a&b=c", "Mr. and Mrs. Smith"]


@pytest.mark.parametrize("text", ["0", "0.0", "99999"])
def test_unusable_deadlines_in_steps(text):
    with pytest.raises(StepInputError, match=r"The deadline \(step: s\) is"):
        parse_seconds(text, "s")


def test_a_strict_mode_given_as_a_word_in_python_is_the_mode():
    from wsitest_steps import StrictMode

    assert Settings(strict="fail").strict is StrictMode.FAIL
    assert Settings().strict is StrictMode.OFF
    with pytest.raises(ValueError):
        Settings(strict="loud")


def test_an_actor_suffix_goes_into_every_url_an_actor_is_named_in():
    settings = Settings.from_userdata(
        {"ws_url": "ws://127.0.0.1:1/?name={name}", "ws_url.admin": "ws://127.0.0.1:1/admin/{name}", "ws_actor_suffix": "-7"}
    )
    assert settings.url_for("Rob") == "ws://127.0.0.1:1/?name=Rob-7"
    assert settings.url_for("Rob", "admin") == "ws://127.0.0.1:1/admin/Rob-7"
    assert Settings.from_userdata({"ws_url": "ws://127.0.0.1:1/?name={name}"}).url_for("Rob") == "ws://127.0.0.1:1/?name=Rob"
