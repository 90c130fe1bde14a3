"""The expectation vocabulary: what each phrase accepts, and the exact words of its descriptions."""

import pytest
from hamcrest.core.string_description import StringDescription

from wsitest_steps import StepInputError
from wsitest_steps.matching.json import json_mismatches, matches_json
from wsitest_steps.matching.phrases import KNOWN_PHRASES, expected_json, parse_phrase


def describe(matcher):
    return str(StringDescription().append_description_of(matcher))


@pytest.mark.parametrize(
    "phrase, accepted, rejected",
    [
        ("anything", [None, 0, "", [], {}], []),
        ("any value", [None, False], []),
        ("any string", ["", "x"], [1, None, True, ["x"]]),
        ("any number", [0, 1.5, -3], ["1", True, None]),
        ("any integer", [0, 7, 7.0, -2], [7.5, True, "7"]),
        ("any boolean", [True, False], [0, 1, "true"]),
        ("any object", [{}, {"a": 1}], [[], "{}"]),
        ("any array", [[], [1]], [{}, "[]"]),
        ("matching [A-Z]{3}-\\d+", ["ABC-12"], ["abc-12", "ABC-12x", 5]),
        ('matching "^a.c$"', ["abc"], ["abcd"]),
        ("matching /b+/", ["bbb"], ["abbb"]),
        ('containing "ell"', ["hello"], ["help", 5]),
        ('containing "vip"', [["new", "vip"]], [["vipx"], "v"]),
        ("containing 3", [[1, 3]], [[1, "3"], [1, True]]),
        ('starting with "Rob"', ["Rob Smith"], ["Bob", 3]),
        ('ending with "Smith"', ["Rob Smith"], ["Smithy"]),
        ("greater than 5", [6, 5.5], [5, "6", True]),
        ("less than 5", [4], [5]),
        ("at least 5", [5, 6], [4.9]),
        ("at most 5", [5], [5.1]),
        ("between 1 and 3", [1, 2.5, 3], [0.9, 3.1]),
        ("close to 3.14 within 0.01", [3.141, 3.15], [3.16, "3.14"]),
        ('one of "buy", "sell"', ["buy", "sell"], ["hold", None]),
        ("one of 1, true", [1, True], [False, "1"]),
        ("length 2", ["ab", [1, 2], {"a": 1, "b": 2}], ["abc", 2, None]),
        ("length at least 1", ["a"], ["", []]),
        ("not null", [0, ""], [None]),
        ('not "sell"', ["buy", 5], ["sell"]),
        ('"buy"', ["buy"], ["Buy"]),
        ("5", [5, 5.0], [True, "5"]),
        ("true", [True], [1]),
        ("null", [None], [0, ""]),
        ('{"a": 1}', [{"a": 1, "b": 2}], [{"a": "1"}]),
    ],
)
def test_each_phrase_accepts_and_rejects(phrase, accepted, rejected):
    matcher = parse_phrase(phrase)
    for value in accepted:
        assert matcher.matches(value), f"{phrase} should accept {value!r}"
    for value in rejected:
        assert not matcher.matches(value), f"{phrase} should reject {value!r}"


@pytest.mark.parametrize(
    "phrase, description",
    [
        ("any  integer", "<any integer>"),
        ("greater than 100", "<greater than 100>"),
        ('one of "buy", "sell"', '<one of "buy", "sell">'),
        ('"buy"', '"buy"'),
    ],
)
def test_phrases_describe_themselves_in_their_own_words(phrase, description):
    assert describe(parse_phrase(phrase)) == description


def test_absent_and_null_are_different():
    absent = matches_json(expected_json({"seq": "<absent>"}))
    null = matches_json({"seq": None})
    assert absent.matches({}) and not absent.matches({"seq": None})
    assert null.matches({"seq": None}) and not null.matches({})
    assert json_mismatches(absent, {"seq": None}) == ["$.seq was present (null), expected <absent>"]
    assert json_mismatches(null, {}) == ["$.seq is missing, expected null"]


def test_not_absent_means_present():
    present = matches_json(expected_json({"seq": "<not absent>"}))
    assert present.matches({"seq": None}) and not present.matches({})


def test_mismatches_say_what_was_seen_and_what_was_expected():
    matcher = matches_json(expected_json({"id": "<any integer>", "price": "<greater than 100>", "tags": '<containing "vip">'}))
    assert json_mismatches(matcher, {"id": "17", "price": 99, "tags": ["new"]}) == [
        '$.id was "17" (a string), expected <any integer>',
        "$.price was 99, expected <greater than 100>",
        '$.tags was ["new"], expected <containing "vip">',
    ]
    length = matches_json(expected_json({"items": "<length 2>"}))
    assert json_mismatches(length, {"items": [1, 2, 3]}) == ["$.items had length 3: [1, 2, 3], expected <length 2>"]


def test_expected_json_turns_angle_brackets_into_matchers_anywhere_and_leaves_the_rest():
    value = expected_json({"a": ["<any string>", {"b": "<any number>"}], "c": "plain", "d": "\\<b>"})
    matcher = matches_json(value)
    assert matcher.matches({"a": ["x", {"b": 1}], "c": "plain", "d": "<b>"})
    assert not matcher.matches({"a": ["x", {"b": "1"}], "c": "plain", "d": "<b>"})


def test_an_unknown_phrase_lists_every_known_one():
    with pytest.raises(StepInputError) as failure:
        parse_phrase("greater then 5", step="Rob receives ...")
    text = str(failure.value)
    assert text.startswith("Unknown expectation 'greater then 5' (step: Rob receives ...). Known expectations: anything,")
    for phrase in KNOWN_PHRASES:
        assert phrase in text


@pytest.mark.parametrize(
    "phrase, message",
    [
        ("greater than five", "Cannot use the expectation 'greater than five': 'five' is not a number."),
        ("greater than true", "Cannot use the expectation 'greater than true': 'true' is not a number."),
        ("between 1 or 3", "Cannot use the expectation 'between 1 or 3': write it as between 1 and 10."),
        ("close to 3", "Cannot use the expectation 'close to 3': write it as close to 3.14 within 0.01."),
        ("matching [a-", "Cannot use the expectation 'matching [a-': the regular expression does not compile"),
        ("containing vip", "Cannot use the expectation 'containing vip': 'vip' is not a JSON value; put texts in double quotes"),
        ("starting with 5", "Cannot use the expectation 'starting with 5': it needs a text in double quotes"),
        ("length of", "Unknown expectation 'of'"),
    ],
)
def test_malformed_phrases_say_what_to_write(phrase, message):
    with pytest.raises(StepInputError) as failure:
        parse_phrase(phrase)
    assert message in str(failure.value)


def test_a_phrase_added_to_the_vocabulary_table_is_parsed_listed_and_documented(monkeypatch):
    """One entry in VOCABULARY is all a new phrase needs: the parser, the error and the reference follow."""
    from hamcrest import equal_to

    from wsitest_steps import catalog
    from wsitest_steps.matching import phrases

    lucky = phrases.Phrase(
        ("lucky",),
        "lucky",
        "the number 7",
        lambda phrase, lower, step: phrases.Expectation(phrase, equal_to(7)) if lower == "lucky" else None,
    )
    monkeypatch.setattr(phrases, "VOCABULARY", (lucky, *phrases.VOCABULARY))
    monkeypatch.setattr(phrases, "KNOWN_PHRASES", tuple(w for entry in phrases.VOCABULARY for w in entry.words))
    assert parse_phrase("lucky").matches(7) and not parse_phrase("lucky").matches(8)
    with pytest.raises(StepInputError) as failure:
        parse_phrase("unlucky")
    assert "Known expectations: lucky, anything," in str(failure.value)
    assert "| `lucky` | the number 7 |" in catalog.render()


def test_containing_tests_a_text_as_a_text_never_one_character_at_a_time():
    """hamcrest's has_item walks a string as a sequence, each character through the JSON matcher."""
    from hamcrest.core.base_matcher import BaseMatcher

    class Counting(BaseMatcher):
        calls = 0

        def _matches(self, item):
            Counting.calls += 1
            return item == "abc"

        def describe_to(self, description):
            description.append_text("abc")

    containing = parse_phrase('containing "abc"')
    assert containing.matches("x" * 100_000 + "abc")
    assert containing.matches(["zz", "abc"]) and not containing.matches(["zabcz"])
    assert not containing.matches("x" * 100_000)
    containing.matcher.element = Counting()
    assert containing.matches("x" * 100_000 + "abc") and not containing.matches("x" * 1000)
    assert Counting.calls == 0
    assert containing.matches(["zz", "abc"]) and Counting.calls == 2
