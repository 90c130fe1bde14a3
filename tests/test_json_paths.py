"""Table rows: JSONPath (RFC 9535, by python-jsonpath) and an expectation per row."""

import pytest

from wsitest_steps import StepInputError
from wsitest_steps.matching.json import json_mismatches
from wsitest_steps.matching.paths import JsonPathExpectation, JsonPathTable, compile_path
from wsitest_steps.matching.phrases import parse_phrase

ORDER = {"id": 17, "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}], "note": None, "odd key": True}


def row(path, phrase):
    return JsonPathExpectation(path, parse_phrase(phrase))


@pytest.mark.parametrize(
    "path, phrase",
    [
        ("$.id", "17"),
        ("id", "17"),
        ("$.items[0].sku", '"A-1"'),
        ("$.items[-1].qty", "1"),
        ("$.items[*].sku", '"B-7"'),
        ("$.items[?@.qty > 1].sku", '"A-1"'),
        ('$["odd key"]', "true"),
        ("$.note", "null"),
        ("$.missing", "absent"),
        ("$.items", "length 2"),
    ],
)
def test_rows_that_hold(path, phrase):
    assert row(path, phrase).matches(ORDER)


def test_every_failing_row_is_reported_with_its_path():
    table = JsonPathTable(
        [row("$.id", "greater than 20"), row("$.items[*].sku", '"C-3"'), row("$.note", "absent"), row("$.x", "any string")]
    )
    assert json_mismatches(table, ORDER) == [
        "$.id was 17, expected <greater than 20>",
        '$.items[*].sku: none of its 2 values ("A-1", "B-7") is "C-3"',
        "$.note was present (null), expected <absent>",
        "$.x is missing, expected <any string>",
    ]


def test_a_path_through_a_scalar_selects_nothing_instead_of_matching_by_mistake():
    # pywsitest matched "a/b" against {"a": 5} by accident; here the path finds nothing.
    assert not row("$.id.value", "17").matches(ORDER)
    assert row("$.id.value", "absent").matches(ORDER)


@pytest.mark.parametrize("path, why", [("$.items[", "is not valid JSONPath"), ("$.a | $.b", "combines several paths")])
def test_unusable_paths_say_why(path, why):
    with pytest.raises(StepInputError) as failure:
        compile_path(path, step="Rob receives a message with")
    assert f"The path {path!r} (step: Rob receives a message with) {why}" in str(failure.value)
