"""JSON matching: subset objects, element-wise arrays, type-strict scalars, and what mismatches say."""

import pytest
from hamcrest import assert_that, greater_than
from hamcrest.core.string_description import StringDescription

from wsitest_steps.matching.json import json_message, matches_json
from wsitest_steps.model.frames import Frame
from wsitest_steps.model.kinds import FrameKind


def mismatch_of(matcher, item):
    description = StringDescription()
    matcher.describe_mismatch(item, description)
    return str(description)


def text_frame(payload):
    return Frame(1, FrameKind.TEXT, payload, 0.0)


@pytest.mark.parametrize(
    "expected, received",
    [
        ({"message": "Hi"}, {"message": "Hi"}),
        ({"message": "Hi"}, {"message": "Hi", "from": "Rob"}),
        ({"user": {"name": "Rob"}}, {"user": {"name": "Rob", "id": 7}, "at": 1}),
        ({}, {"anything": True}),
        ([1, {"a": 1}], [1, {"a": 1, "b": 2}]),
        ({"n": 1}, {"n": 1.0}),
        ({"v": None}, {"v": None}),
        ("text", "text"),
        (3, 3),
    ],
)
def test_matches(expected, received):
    """Objects match as subsets at every depth; arrays element-wise; equal scalars of one type."""
    assert matches_json(expected).matches(received)


@pytest.mark.parametrize(
    "expected, received, reason",
    [
        ({"message": "Hi"}, {"message": "Hello"}, '$.message was "Hello", expected "Hi"'),
        ({"message": "Hi"}, {}, '$.message is missing, expected "Hi"'),
        ({"v": None}, {}, "$.v is missing, expected null"),
        ({"v": None}, {"v": 0}, "$.v was 0 (a number), expected null (a null)"),
        ({"n": 1}, {"n": True}, "$.n was true (a boolean), expected 1 (a number)"),
        ({"b": True}, {"b": 1}, "$.b was 1 (a number), expected true (a boolean)"),
        ({"s": "1"}, {"s": 1}, '$.s was 1 (a number), expected "1" (a string)'),
        ({"u": {"name": "Rob"}}, {"u": "Rob"}, '$.u was "Rob", a string, not an object'),
        ({"u": {"name": "Rob"}}, {"u": {"name": "Bob"}}, '$.u.name was "Bob", expected "Rob"'),
        ([1, 2], [1, 2, 3], "$ had 3 elements, expected 2: [1, 2, 3]"),
        ([1, 2], [1, 3], "$[1] was 3, expected 2"),
        ({"a": [1]}, {"a": {"0": 1}}, '$.a was {"0": 1}, an object, not an array'),
        ({"odd key": 1}, {"odd key": 2}, '$["odd key"] was 2, expected 1'),
    ],
)
def test_mismatch_names_the_path_and_what_was_seen(expected, received, reason):
    """Each mismatch says where (a JSONPath) and what was received instead."""
    matcher = matches_json(expected)
    assert not matcher.matches(received)
    assert mismatch_of(matcher, received) == reason


def test_every_differing_key_is_reported_not_only_the_first():
    matcher = matches_json({"a": 1, "b": {"c": 2}, "d": 3})
    received = {"a": 2, "b": {"c": "2"}}
    assert mismatch_of(matcher, received) == (
        '$.a was 2, expected 1; $.b.c was "2" (a string), expected 2 (a number); $.d is missing, expected 3'
    )


def test_description_reads_as_the_expected_json():
    assert str(StringDescription().append_description_of(matches_json({"m": "Hi", "n": [1, True, None]}))) == (
        '{"m": "Hi", "n": [1, true, null]}'
    )


def test_hamcrest_matchers_can_stand_inside_expected_json():
    matcher = matches_json({"count": greater_than(3)})
    assert matcher.matches({"count": 4})
    assert mismatch_of(matcher, {"count": 2}) == "$.count was <2>"


def test_frame_matcher_describes_itself_and_non_json_frames():
    matcher = json_message({"message": "Hi"})
    assert str(StringDescription().append_description_of(matcher)) == 'a JSON message matching {"message": "Hi"}'
    binary = Frame(1, FrameKind.BINARY, b"\x00\x01\x02", 0.0)
    assert not matcher.matches(binary)
    assert mismatch_of(matcher, binary) == "was a binary frame of 3 bytes, not JSON text"
    not_json = text_frame("hello")
    assert not matcher.matches(not_json)
    assert mismatch_of(matcher, not_json) == "was text that is not JSON (Expecting value: line 1 column 1 (char 0)): hello"


def test_frame_matcher_in_assert_that_reports_expectation_and_reason():
    with pytest.raises(AssertionError) as failure:
        assert_that(text_frame('{"message": "Hello"}'), json_message({"message": "Hi"}))
    assert 'Expected: a JSON message matching {"message": "Hi"}' in str(failure.value)
    assert 'but: $.message was "Hello", expected "Hi"' in str(failure.value)


def test_the_closest_message_is_the_one_with_most_right_not_the_one_with_fewest_difference_lines():
    """An array where an object was expected is one difference line, but nothing in it is right."""
    from wsitest_steps.recording.transcript import near_misses

    expected = json_message({"type": "order", "id": 7, "side": "buy"})
    frames = [
        Frame(1, FrameKind.TEXT, "[1, 2]", 0.1),
        Frame(2, FrameKind.TEXT, '{"type": "quote", "id": 9, "side": "sell"}', 0.2),
        Frame(3, FrameKind.TEXT, '{"type": "order", "id": 8, "side": "buy"}', 0.3),
    ]
    lines = near_misses(expected, frames, 0.0)
    ranked = [line.split()[0] for line in lines if line.startswith("  #")]
    assert ranked == ["#3", "#1", "#2"], lines
    assert lines[1] == '  #3 at +0.300s differs in 1 place: {"type": "order", "id": 8, "side": "buy"}'
