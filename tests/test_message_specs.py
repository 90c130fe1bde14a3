"""The words after "sends" and "receives", and after "connects with", as values and matchers."""

import pytest
from hamcrest import equal_to
from hamcrest.core.string_description import StringDescription

from wsitest_steps import StepInputError
from wsitest_steps.language.connect import parse_connect_options
from wsitest_steps.language.messages import StepInput, expectation, message_list, outgoing, split_pair
from wsitest_steps.matching.frames import FrameWithText
from wsitest_steps.model.frames import Frame, Outgoing
from wsitest_steps.model.kinds import FrameKind


def given(doc=None, rows=None, tmp_path=None):
    return StepInput(step="the step", doc=doc, rows=rows, directories=[tmp_path] if tmp_path else [])


def frame(kind, payload):
    return Frame(1, FrameKind(kind), payload, 0.0)


def describe(matcher):
    return str(StringDescription().append_description_of(matcher))


@pytest.mark.parametrize(
    "words, doc, sent",
    [
        (' {"a": 1}', None, Outgoing("text", '{"a": 1}')),
        ("a message [1, 2]", None, Outgoing("text", "[1, 2]")),
        ('"text"', None, Outgoing("text", '"text"')),
        ("", '{"b": 2}', Outgoing("text", '{"b": 2}')),
        ('the text "he said \\"hi\\""', None, Outgoing("text", 'he said "hi"')),
        ("the text:", "two\nlines", Outgoing("text", "two\nlines")),
        ("the bytes 00 ff:10", None, Outgoing("binary", b"\x00\xff\x10")),
        ('the base64 bytes "AP8Q"', None, Outgoing("binary", b"\x00\xff\x10")),
        ("a ping", None, Outgoing("ping", b"")),
        ('a ping "x"', None, Outgoing("ping", b"x")),
    ],
)
def test_what_sends_sends(words, doc, sent):
    assert outgoing(words, given(doc)) == sent


def test_bytes_of_a_file_are_read_from_the_first_directory_that_has_it(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x01\x02")
    assert outgoing('the bytes of "x.bin"', given(tmp_path=tmp_path)) == Outgoing("binary", b"\x01\x02")
    assert outgoing('the bytes of the file "x.bin"', given(tmp_path=tmp_path)) == Outgoing("binary", b"\x01\x02")


@pytest.mark.parametrize(
    "words, description, accepted, rejected",
    [
        (
            '{"a": 1}',
            'a JSON message matching {"a": 1}',
            [frame("text", '{"a": 1, "b": 2}')],
            [frame("text", '{"a": true}'), frame("binary", b"{}")],
        ),
        ('the text "hi"', 'the text "hi"', [frame("text", "hi")], [frame("text", '"hi"'), frame("binary", b"hi")]),
        ('a text message containing "i"', 'a text message <containing "i">', [frame("text", "hi")], [frame("text", "ho")]),
        ("a text message", "a text message", [frame("text", "")], [frame("binary", b"")]),
        ("the bytes 01 02", "the bytes <2 bytes> 01 02", [frame("binary", b"\x01\x02")], [frame("text", "\x01\x02")]),
        ("a binary message of 2 bytes", "a binary message of 2 bytes", [frame("binary", b"ab")], [frame("binary", b"abc")]),
        ("any message", "any message", [frame("text", "x"), frame("binary", b"")], [frame("pong", b"")]),
        ('a pong "x"', "a pong carrying <1 byte> 78", [frame("pong", b"x")], [frame("pong", b"y"), frame("text", "x")]),
    ],
)
def test_what_receives_accepts(words, description, accepted, rejected):
    matcher = expectation(words, given())
    assert describe(matcher) == description
    for item in accepted:
        assert matcher.matches(item)
    for item in rejected:
        assert not matcher.matches(item)


def test_no_json_expectation_ever_matches_a_control_frame():
    assert not expectation("null", given()).matches(frame("ping", b"null"))


def test_a_table_of_paths():
    rows = [["path", "expectation"], ["$.id", "any integer"], ["$.side", '"buy"']]
    matcher = expectation("a message with", given(rows=rows))
    assert describe(matcher) == 'a JSON message with $.id <any integer>, $.side "buy"'
    assert matcher.matches(frame("text", '{"id": 1, "side": "buy"}'))
    assert not matcher.matches(frame("text", '{"id": 1.5, "side": "buy"}'))


def test_listed_messages_come_from_a_doc_string_of_json_values_or_a_table():
    assert message_list(given(doc='{"a": 1}\n  {"b":\n 2}  "c"')) == ['{"a": 1}', '{"b":\n 2}', '"c"']
    assert message_list(given(rows=[["message"], ['{"a": 1}'], ['{"b": 2}']])) == ['{"a": 1}', '{"b": 2}']
    assert message_list(given(rows=[['{"a": 1}'], ['{"b": 2}']])) == ['{"a": 1}', '{"b": 2}']
    with pytest.raises(StepInputError) as failure:
        message_list(given(doc='{"a": 1} {oops}'))
    assert "Malformed JSON (step: the step)" in str(failure.value)


def test_split_pair_finds_the_separator_outside_the_json():
    _left, right = split_pair(
        '{"text": "x then sends y"} then sends {"z": 1}',
        " then sends",
        lambda w: expectation(w, given()),
        lambda w: outgoing(w, given()),
        "s",
        "example",
    )
    assert right == Outgoing("text", '{"z": 1}')


@pytest.mark.parametrize(
    "words, message",
    [
        ("", "This step ends with a colon, so it needs a doc string"),
        ("a message with", "This step needs a table below it (step: the step)"),
        ("the bytes 0", "The bytes '0' (step: the step) are not hexadecimal"),
        ('the base64 bytes "a"', "'a' is not valid base64"),
        ("the text hi", 'After "the text" the step needs a text in double quotes'),
        ('{"a": 1,}', "Malformed JSON (step: the step)"),
    ],
)
def test_mistakes_are_explained(words, message):
    with pytest.raises(StepInputError) as failure:
        expectation(words, given())
    assert message in str(failure.value)


def test_connect_clauses():
    options = parse_connect_options(
        'the subprotocols "chat.v2", "chat.v1" and the header "Authorization: Bearer x" and the origin "https://o" '
        'and the cookies "a=1" and "b=2" and the query parameter "q=a&b=c"',
        given(),
    )
    assert options.subprotocols == ["chat.v2", "chat.v1"]
    assert options.headers == [("Authorization", "Bearer x")]
    assert options.origin == "https://o"
    assert options.cookies == ["a=1", "b=2"]
    assert options.query == [("q", "a&b=c")]
    assert options.apply_to("ws://h/p?room=1") == "ws://h/p?room=1&q=a%26b%3Dc"


def test_connect_tables_with_or_without_headings():
    with_headings = parse_connect_options("the headers:", given(rows=[["name", "value"], ["X-A", "1"]]))
    without = parse_connect_options("the query parameters:", given(rows=[["who", "Rob Smith"], ["x", "y"]]))
    assert with_headings.headers == [("X-A", "1")]
    assert without.query == [("who", "Rob Smith"), ("x", "y")]
    assert without.apply_to("ws://h/") == "ws://h/?who=Rob%20Smith&x=y"


def test_request_clauses_give_headers_and_a_body():
    from wsitest_steps.language.request import parse_request_options

    headers, body = parse_request_options(' the header "X-A: 1" and the body {"a": 1}', given())
    assert (headers, body) == ([("X-A", "1")], '{"a": 1}')
    assert parse_request_options(' {"name": "Rob"}', given()) == ([], '{"name": "Rob"}')
    assert parse_request_options(' the body "plain words"', given()) == ([], "plain words")
    assert parse_request_options(":", given(doc="line one\nline two")) == ([], "line one\nline two")
    assert parse_request_options(None, given()) == ([], None)
    headers, _ = parse_request_options(" the headers:", given(rows=[["X-B", "2"]]))
    assert headers == [("X-B", "2")]


@pytest.mark.parametrize(
    "clause, message",
    [
        ('"foo"', "Cannot read '\"foo\"' (step: the step). After connects ... with, write one or more of:"),
        (
            'the origin "\x1f"',
            'The text "\x1f" after "the origin" (step: the step) is not a valid quoted string: Invalid control character',
        ),
    ],
)
def test_a_connect_clause_is_read_or_explained_never_dropped(clause, message):
    with pytest.raises(StepInputError) as failure:
        parse_connect_options(clause, given())
    assert message in str(failure.value)


def test_a_form_or_clause_added_to_its_table_is_read_and_documented(monkeypatch):
    """SEND_FORMS, EXPECT_FORMS and CLAUSES are the only lists: a new entry is parsed and in the reference."""
    from wsitest_steps import catalog
    from wsitest_steps.language import connect, messages

    shout = messages.Form(
        "a shout", "the text HEY", lambda words, lower, given: Outgoing("text", "HEY") if lower == "a shout" else None
    )
    monkeypatch.setattr(messages, "SEND_FORMS", (*messages.SEND_FORMS, shout))
    assert outgoing("a shout", given()) == Outgoing("text", "HEY")
    assert "| `a shout` | the text HEY |" in catalog.render()

    listen = messages.Form(
        "a whisper",
        "the text hush",
        lambda words, lower, given: FrameWithText(equal_to("hush"), "a whisper") if lower == "a whisper" else None,
    )
    monkeypatch.setattr(messages, "EXPECT_FORMS", (listen, *messages.EXPECT_FORMS))
    assert expectation("a whisper", given()).matches(frame("text", "hush"))

    assert '| `the origin "https://..."` |' in catalog.render()
    assert tuple(shown for clause in connect.CLAUSES for shown in clause.shown) == connect.KNOWN


def test_kinds_given_as_words_in_python_are_the_enum():
    """Custom steps that build frames and messages with words ("text") get the same kinds as the library."""
    from wsitest_steps.matching.frames import ControlFrame

    assert Outgoing("text", "hi").kind is FrameKind.TEXT
    assert Frame(1, "binary", b"\x00", 0.0).kind is FrameKind.BINARY
    assert ControlFrame("pong").matches(Frame(1, FrameKind.PONG, b"", 0.0))
    from wsitest_steps import Closer, Closure

    assert Closure("server", 1000, "", 0.0).by is Closer.SERVER
