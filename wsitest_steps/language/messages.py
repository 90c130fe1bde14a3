"""The words that describe a message in a step, turned into what to send or what to expect.

Every sentence that sends ("Rob sends ...", "... replies ...") or expects ("Rob receives ...",
"no one receives ...") accepts the same descriptions, so each kind of message is learned once.
:data:`SEND_FORMS` and :data:`EXPECT_FORMS` are the one table of each: the parsers and the steps
reference are produced from them, so a new form is one entry.
Placeholders (``{token}``) are filled before anything is parsed; see :mod:`wsitest_steps.variables`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hamcrest import anything, equal_to
from hamcrest.core.matcher import Matcher

from ..errors import StepInputError, at_step
from ..matching.frames import AnyMessage, BinaryFrame, ControlFrame, FrameWithBytes, FrameWithText, PrefixedJson
from ..matching.json import FrameWithJson, json_text, matches_json
from ..matching.messages import FromChannel, ProtocolMessage, WithHeaders
from ..matching.paths import JsonPathExpectation, JsonPathTable
from ..matching.phrases import expected_json, parse_phrase
from ..matching.schema import MatchesSchema, load_schema
from ..model.frames import Frame, Outgoing
from ..model.kinds import FrameKind
from ..model.wording import describe_bytes, plural
from .step_input import StepInput, decode_quoted
from .values import parse_json, parse_whole

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PAYLOAD_QUOTED = re.compile(rf"\s*({_QUOTED})\s*\Z")


T = TypeVar("T")


@dataclass(frozen=True)
class Form(Generic[T]):
    """One way of describing a message: the words as the reference shows them, what they mean, and their reader.

    ``read(words, lower, given)`` gets the words (placeholders not yet filled) and them in lower
    case. The ``fallback`` form is tried after every other one, whatever its place in the table.
    """

    words: str
    means: str
    read: Callable[[str, str, StepInput], T | None]
    fallback: bool = False


def _read(forms: Sequence[Form[T]], words: str, given: StepInput) -> T:
    words = _strip(words, given)
    lower = words.lower()
    for form in sorted(forms, key=lambda form: form.fallback):
        found = form.read(words, lower, given)
        if found is not None:
            return found
    raise StepInputError(f"No message form reads {words!r}{at_step(given.step)}.")  # the fallback reads anything


def _after_a_message(words: str, lower: str) -> str:
    return words[len("a message ") :] if lower.startswith("a message ") else words


# -- what follows "sends" -------------------------------------------------------------------


def _send_json(words: str, lower: str, given: StepInput) -> Outgoing:
    return Outgoing.written(parse_json(given.fill(_after_a_message(words, lower), "json"), given.step))


def _send_doc(words: str, lower: str, given: StepInput) -> Outgoing | None:
    if lower not in ("", "a message", "a message:", ":"):
        return None
    return Outgoing.written(parse_json(given.fill(given.needs_doc(), "json"), given.step))


def _send_text(words: str, lower: str, given: StepInput) -> Outgoing | None:
    text = _text(words, lower, given)
    return None if text is None else Outgoing.text(text)


def _send_bytes(read: Callable[[str, str, StepInput], bytes | None]) -> Callable[[str, str, StepInput], Outgoing | None]:
    def send(words: str, lower: str, given: StepInput) -> Outgoing | None:
        data = read(words, lower, given)
        return None if data is None else Outgoing.binary(data)

    return send


def _send_ping(words: str, lower: str, given: StepInput) -> Outgoing | None:
    if lower == "a ping":
        return Outgoing.ping()
    if lower.startswith("a ping "):
        return Outgoing.ping(_quoted_after("a ping", words, given).encode("utf-8"))
    return None


#: What can follow "sends" (and "replies"): the one table the parser and the reference use.
_EXAMPLE = re.compile(r'the example of "(?P<name>[^"]+)"\Z', re.IGNORECASE)
_DOCUMENT_MESSAGE = re.compile(r'an? "(?P<name>[^"]+)" message(?: with (?P<json>.+))?\Z', re.IGNORECASE | re.DOTALL)


def _send_example(words: str, lower: str, given: StepInput) -> Outgoing | None:
    found = _EXAMPLE.match(words.strip())
    if found is None:
        return None
    spec = given.contract_message(found.group("name"))
    if not spec.examples:
        raise StepInputError(
            f'The AsyncAPI document gives no example of "{spec.name}"{at_step(given.step)}; write the message instead.'
        )
    return Outgoing.written(spec.examples[0])


def _expect_document_message(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    found = _DOCUMENT_MESSAGE.match(words.strip())
    if found is None:
        return None
    from ..contracts.matchers import IsDocumentMessage  # a contract is loaded by now: contract_message needs it

    spec = given.contract_message(found.group("name"))
    also = found.group("json")
    if also is None:
        return IsDocumentMessage(given.needs_contract(), spec)
    value = parse_json(given.fill(also, "json"), given.step)
    return IsDocumentMessage(given.needs_contract(), spec, matches_json(expected_json(value, given.step)), json_text(value))


SEND_FORMS: tuple[Form[Outgoing], ...] = (
    Form(
        '{"message": "Hi"}',
        'any JSON value, as a text frame (also: a message {...}; [1, 2]; "text"; 42)',
        _send_json,
        fallback=True,
    ),
    Form(":", "followed by a doc string: the JSON in it", _send_doc),
    Form('the text "Hello"', "a text frame with exactly that text, JSON or not (the text: with a doc string, too)", _send_text),
    Form(
        "the bytes 00 ff 10", "a binary frame, written in hexadecimal", _send_bytes(lambda w, lower, g: _hex_bytes(w, lower, g))
    ),
    Form(
        'the base64 bytes "AP8Q"',
        "a binary frame, written in base64",
        _send_bytes(lambda w, lower, g: _base64_bytes(w, lower, g)),
    ),
    Form(
        'the bytes of "files/logo.png"',
        "a binary frame with a file's contents (relative to the working directory or the feature)",
        _send_bytes(lambda w, lower, g: _file_bytes(w, lower, g)),
    ),
    Form('a ping, a ping "payload"', "a ping control frame", _send_ping),
    Form(
        'the example of "SendMessage"',
        "the first example the AsyncAPI document in use gives of that message, as JSON",
        _send_example,
    ),
)


def outgoing(words: str, given: StepInput) -> Outgoing:
    """What ``sends <words>`` sends (see :data:`SEND_FORMS`)."""
    return _read(SEND_FORMS, words, given)


# -- what follows "receives" ----------------------------------------------------------------


def _expect_json(words: str, lower: str, given: StepInput) -> Matcher[Frame]:
    return json_expectation(given.fill(_after_a_message(words, lower), "json"), given)


def _expect_doc(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if lower not in ("", "a message", ":"):
        return None
    return json_expectation(given.fill(given.needs_doc(), "json"), given)


def _expect_path_table(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if lower not in ("a message with", "a message with:"):
        return None
    return FrameWithJson(path_table(given), prefix="a JSON message with ")


def _expect_schema(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if not lower.startswith("a message matching the schema"):
        return None
    name = words[len("a message matching the schema") :].strip().rstrip(":").strip()
    if name:
        schema, shown = load_schema(_quoted(name, "the schema", given), given.file_directories(), given.step)
    else:
        schema, shown = parse_json(given.needs_doc(), given.step), "in the step"
    return FrameWithJson(MatchesSchema(schema, shown, given.step), prefix="a JSON message ")


def _expect_text(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    text = _text(words, lower, given)
    return None if text is None else FrameWithText(equal_to(text), f"the text {json_text(text)}")


def _expect_text_message(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if lower == "a text message":
        return FrameWithText(anything(), "a text message")
    found = _PREFIX.match(words)
    if found:
        prefix = decode_quoted(given.fill(found.group(1), "json"), "the prefix", given.step)
        value = parse_json(given.fill(found.group(2), "json"), given.step)
        inner = PrefixedJson(prefix, matches_json(expected_json(value, given.step)), json_text(value))
        return FrameWithText(inner, f"a text message of the prefix {json_text(prefix)} and the JSON {json_text(value)}")
    if lower.startswith("a text message "):
        phrase = given.fill(words[len("a text message ") :], "json")
        return FrameWithText(parse_phrase(phrase, given.step), f"a text message <{' '.join(phrase.split())}>")
    return None


def _expect_bytes(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    for read in (_base64_bytes, _file_bytes, _hex_bytes):
        data = read(words, lower, given)
        if data is not None:
            return FrameWithBytes(data)
    return None


def _expect_binary_message(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if lower == "a binary message":
        return BinaryFrame()
    found = re.fullmatch(r"a binary message of (\S+) bytes?", lower)
    if not found:
        return None
    size = parse_whole(found.group(1), "The length in bytes", given.step, 0, 2**63 - 1)
    return BinaryFrame(equal_to(size), f"a binary message of {plural(size, 'byte')}")


def _expect_any_message(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    return AnyMessage() if lower == "any message" else None


def _expect_pong(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    if lower == "a pong":
        return ControlFrame(FrameKind.PONG)
    if lower.startswith("a pong "):
        return ControlFrame(FrameKind.PONG, _quoted_after("a pong", words, given).encode("utf-8"))
    return None


_PREFIX = re.compile(rf"a text message of the prefix ({_QUOTED}) and the JSON (.+)\Z", re.I | re.S)
_EVENT = re.compile(rf"the event ({_QUOTED})(?:\s+with\s+(.+))?\Z", re.I | re.S)


def _expect_event(words: str, lower: str, given: StepInput) -> Matcher[Frame] | None:
    found = _EVENT.match(words)
    if not found:
        return None
    name = decode_quoted(found.group(1), "the event", given.step)
    described = f'the event "{name}"'
    words = found.group(2)
    if words is not None and words.lower().startswith(("the attachment ", "the base64 attachment ")):
        # Binary data, written as for "the bytes ...": hexadecimal, or base64.
        filled = given.fill(words, "json")
        as_bytes = re.sub(r"(?i)^the (base64 )?attachment ", lambda m: f"the {m.group(1) or ''}bytes ", filled)
        read = _base64_bytes if as_bytes.lower().startswith("the base64 ") else _hex_bytes
        data = read(as_bytes, as_bytes.lower(), given) or b""
        return ProtocolMessage("event", f"{described} with the attachment {describe_bytes(data)}", name=name, attachment=data)
    return answer_expectation("event", described, words, given, name=name)


def argument_list(words: str, given: StepInput) -> list[Any] | None:
    """The JSON array of ``the arguments [...]``, placeholders filled; ``None`` for any other words."""
    words = words.strip()
    if not words.lower().startswith("the arguments "):
        return None
    listed = parse_json(given.fill(words[len("the arguments ") :], "json"), given.step)
    if not isinstance(listed, list):
        raise StepInputError(f'After "the arguments" the step needs a JSON array, e.g. [1, "two"]{at_step(given.step)}.')
    return listed


def answer_expectation(kind: str, described: str, words: str | None, given: StepInput, **fields: Any) -> ProtocolMessage:
    """A protocol message of ``kind`` (and ``fields``) with what ``words`` expect of its arguments.

    No words: any. ``the arguments [...]``: all of them, element by element. Anything else: one
    JSON expectation on the message's payload (a single argument).
    """
    if words is None:
        return ProtocolMessage(kind, described, **fields)
    listed = argument_list(words, given)
    if listed is not None:
        matcher = matches_json(expected_json(listed, given.step))
        return ProtocolMessage(kind, f"{described} with the arguments {json_text(listed)}", arguments=matcher, **fields)
    value = parse_json(given.fill(words, "json"), given.step)
    return ProtocolMessage(
        kind, f"{described} with {json_text(value)}", payload=matches_json(expected_json(value, given.step)), **fields
    )


#: What can follow "receives" (and "does not receive", "is", "matching" ...): the one table the parser and the reference use.
EXPECT_FORMS: tuple[Form[Matcher[Frame]], ...] = (
    Form(
        'a "UserJoined" message, a "UserJoined" message with {...}',
        "a message that conforms to that message of the AsyncAPI document in use (and, if given, matches as a JSON expectation)",
        _expect_document_message,
    ),
    Form(
        '{"message": "Hi"}',
        "a JSON message: objects match as a subset, arrays element by element, scalars by type "
        'and value; any value may be an expectation in angle brackets, "<any integer>" (also: a message {...})',
        _expect_json,
        fallback=True,
    ),
    Form(":", "followed by a doc string: the JSON in it", _expect_doc),
    Form(
        "a message with:", "followed by a table of path | expectation rows (JSONPath; [*] means any element)", _expect_path_table
    ),
    Form(
        'a message matching the schema "schemas/order.json"',
        "a JSON message valid against that JSON Schema (or : and the schema as a doc string)",
        _expect_schema,
    ),
    Form('the text "pong"', "a text frame with exactly that text (the text: with a doc string, too)", _expect_text),
    Form(
        'a text message, a text message containing "po", a text message of the prefix "42" and the JSON ["chat", {...}]',
        "a text frame, optionally one an expectation phrase accepts, or a prefix followed by JSON that matches as a JSON expectation",
        _expect_text_message,
    ),
    Form(
        "the bytes 00 ff 10",
        "a binary frame with exactly those bytes (also in base64, or from a file, as for sending)",
        _expect_bytes,
    ),
    Form("a binary message, a binary message of 16 bytes", "a binary frame, optionally of that length", _expect_binary_message),
    Form("any message", "any text or binary message", _expect_any_message),
    Form('a pong, a pong "payload"', "a pong control frame, optionally carrying that payload", _expect_pong),
    Form(
        'the event "chat", the event "chat" with {...}, the event "move" with the arguments [1, "north"], '
        'the event "file" with the attachment 00 ff',
        "a Socket.IO event of that name; with one argument that matches as a JSON expectation, with all its arguments, "
        'or carrying that binary attachment (also: the base64 attachment "AP8=")',
        _expect_event,
    ),
)

#: What may end any form of :data:`EXPECT_FORMS`, as ``(words, what it narrows to)``; read by :func:`expectation`.
SUFFIXES: tuple[tuple[str, str], ...] = (
    (
        'with the headers {"priority": "9"}',
        "only messages whose headers (a STOMP message's) match, as a JSON expectation on them",
    ),
    (
        'from counter, from "/topic/chat"',
        "only the messages of that channel: a GraphQL subscription's label, a STOMP destination",
    ),
)
_FROM = re.compile(r'(?P<inner>.*\S)\s+from\s+(?:(?P<label>[A-Za-z_][\w-]*)|"(?P<channel>[^"]+)")\Z', re.S)
_HEADERS = re.compile(r"(?P<inner>.*\S)\s+with the headers\s+(?P<headers>\{.*\})\Z", re.S)


def expectation(words: str, given: StepInput) -> Matcher[Frame]:
    """What ``receives <words>`` waits for, as a frame matcher that describes itself (see :data:`EXPECT_FORMS`).

    Any form may end in ``with the headers {...}`` (a STOMP message's headers, matched as a JSON
    expectation on them), then in ``from <label>`` (that GraphQL subscription's messages only) or
    ``from "<destination>"`` (a STOMP destination's).
    """
    words = words.strip()
    headers = _HEADERS.match(words)
    if headers:
        value = parse_json(given.fill(headers.group("headers"), "json"), given.step)
        if not isinstance(value, dict):
            raise StepInputError(f'The headers{at_step(given.step)} must be a JSON object, e.g. {{"priority": "9"}}.')
        expected = matches_json(expected_json(value, given.step))
        return WithHeaders(expected, json_text(value), expectation(headers.group("inner"), given))
    found = _FROM.match(words)
    if found:
        channel = found.group("label") or found.group("channel")
        return FromChannel(channel, expectation(found.group("inner"), given))
    return _read(EXPECT_FORMS, words, given)


def json_expectation(text: str, given: StepInput) -> FrameWithJson:
    """A frame matcher for the expected JSON ``text``, its ``"<phrase>"`` values made matchers."""
    return FrameWithJson(matches_json(expected_json(parse_json(text, given.step), given.step)))


def path_table(given: StepInput) -> JsonPathTable:
    """The ``path | expectation`` rows of the step's table as one matcher."""
    rows = given.table(
        ("path", "expectation"),
        '  | path          | expectation     |\n  | $.order.id    | any integer     |\n  | $.order.side  | "buy"           |',
    )
    expectations = []
    for path, phrase in rows:
        expectations.append(JsonPathExpectation(path, parse_phrase(given.fill(phrase, "json"), given.step), given.step))
    return JsonPathTable(expectations)


def message_list(given: StepInput, fill_where: str = "json") -> list[str]:
    """The messages listed below a step: one per table row, or a doc string of JSON values one after another."""
    if given.rows:
        rows = given.rows
        if len(rows[0]) == 1 and rows[0][0].strip().lower() in ("message", "messages"):
            rows = rows[1:]
        if any(len(row) != 1 for row in rows):
            raise StepInputError(f"Each row of the table holds one message, in one cell{at_step(given.step)}.")
        return [row[0] for row in rows]
    doc = given.needs_doc()
    decoder = json.JSONDecoder()
    position, texts = 0, []  # type: int, list[str]
    while True:
        while position < len(doc) and doc[position].isspace():
            position += 1
        if position >= len(doc):
            return texts
        try:
            _, end = decoder.raw_decode(doc, position)
        except ValueError:
            parse_json(doc[position:], given.step)  # raises with a pointer to the error
            raise
        texts.append(doc[position:end])
        position = end


def split_pair(
    text: str, separator: str, left: Callable[[str], Any], right: Callable[[str], Any], step: str, example: str
) -> tuple[Any, Any]:
    """Split ``A <separator> B`` where the separator may also occur inside A or B.

    Every occurrence is tried; the first split where both sides parse wins. If none does,
    the error of the first split is raised, so the message points at the real mistake.
    """
    first_error: StepInputError | None = None
    start = 0
    while (at := text.find(separator, start)) != -1:
        try:
            return left(text[:at]), right(text[at + len(separator) :])
        except StepInputError as exc:
            first_error = first_error or exc
        start = at + 1
    if first_error is not None:
        raise first_error
    raise StepInputError(f"The step must read {example}{at_step(step)}.")


def _strip(words: str, given: StepInput) -> str:
    # "a message with, within 2 seconds:" leaves a comma behind the words.
    words = words.strip().rstrip(",").rstrip()
    if words.endswith(":") and (given.doc is not None or given.rows is not None or words == ":"):
        words = words[:-1].rstrip()
    return words


def _text(words: str, lower: str, given: StepInput) -> str | None:
    """The text of ``the text "..."`` or of ``the text:`` and a doc string; ``None`` for other words."""
    if lower in ("the text", "the text:"):
        return given.fill(given.needs_doc(), "text")
    if lower.startswith("the text "):
        return _quoted_after("the text", words, given)
    return None


def _quoted_after(prefix: str, words: str, given: StepInput) -> str:
    """The quoted text that follows ``prefix`` (and a space) in ``words``, placeholders filled."""
    return _quoted(given.fill(words[len(prefix) + 1 :], "json"), prefix, given)


def _quoted(text: str, what: str, given: StepInput) -> str:
    found = _PAYLOAD_QUOTED.match(text)
    if not found:
        raise StepInputError(
            f'After "{what}" the step needs a text in double quotes, e.g. {what} "Hello"{at_step(given.step)}; '
            f'got {text.strip()!r}. Write a quote inside the text as \\".'
        )
    return decode_quoted(found.group(1), what, given.step)


def _base64_bytes(words: str, lower: str, given: StepInput) -> bytes | None:
    if not lower.startswith("the base64 bytes "):
        return None
    encoded = _quoted_after("the base64 bytes", words, given)
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise StepInputError(f"{encoded!r} is not valid base64 ({exc}){at_step(given.step)}.") from None


def _file_bytes(words: str, lower: str, given: StepInput) -> bytes | None:
    if not lower.startswith("the bytes of "):
        return None
    name = _quoted(
        given.fill(re.sub(r"(?i)^the file ", "", words[len("the bytes of ") :].strip()), "json"), "the bytes of", given
    )
    for directory in given.file_directories():
        candidate = (directory / name).resolve()
        if candidate.is_file():
            return candidate.read_bytes()
    tried = " and ".join(str((d / name).resolve()) for d in given.file_directories())
    raise StepInputError(f"There is no file {name!r}{at_step(given.step)}; looked for {tried}.")


def _hex_bytes(words: str, lower: str, given: StepInput) -> bytes | None:
    if not lower.startswith("the bytes ") or lower.startswith("the bytes of "):
        return None
    digits = re.sub(r"[\s:]|0x", "", given.fill(words[len("the bytes ") :], "text"))
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise StepInputError(
            f"The bytes {words[len('the bytes ') :].strip()!r}{at_step(given.step)} are not hexadecimal; write pairs "
            'of hex digits, e.g. the bytes 00 ff 10 (or the base64 bytes "AP8Q").'
        ) from None
