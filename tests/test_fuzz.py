"""Property-based tests (hypothesis) of JSON matching and of everything that reads step text."""

import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from wsitest_steps import StepInputError
from wsitest_steps.language.connect import parse_connect_options
from wsitest_steps.language.messages import StepInput, expectation, message_list, outgoing, split_pair
from wsitest_steps.language.request import parse_request_options
from wsitest_steps.language.values import parse_json, parse_names
from wsitest_steps.language.variables import Variables
from wsitest_steps.matching.json import json_mismatches, matches_json
from wsitest_steps.matching.paths import compile_path
from wsitest_steps.matching.phrases import parse_phrase

# Fuzzing takes long: tox runs it in the "heavy" environment only. It runs no behave, so the
# behave126 environment, which runs the other heavy tests on behave 1.2.6, leaves it out.
pytestmark = [pytest.mark.heavy, pytest.mark.behave_free]

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@SETTINGS
@given(json_values)
def test_any_json_value_matches_itself_and_its_json_round_trip(value):
    assert matches_json(value).matches(value)
    assert matches_json(json.loads(json.dumps(value))).matches(value)
    assert json_mismatches(matches_json(value), value) == []


def _subset(draw, value):
    """A random subset of ``value``: objects lose keys (at any depth), everything else is kept."""
    if isinstance(value, dict):
        keys = draw(st.lists(st.sampled_from(sorted(value)), unique=True)) if value else []
        return {key: _subset(draw, value[key]) for key in keys}
    if isinstance(value, list):
        return [_subset(draw, item) for item in value]
    return value


@SETTINGS
@given(st.data(), json_values)
def test_a_subset_of_an_object_matches_it(data, value):
    assert matches_json(_subset(data.draw, value)).matches(value)


def _scalar_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _scalar_paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _scalar_paths(item, (*path, i))
    else:
        yield path


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def _same_json(a, b):
    return type(a) is type(b) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool)
    )


@SETTINGS
@given(st.data(), json_values)
def test_changing_any_scalar_breaks_the_match(data, value):
    paths = list(_scalar_paths(value))
    assume(paths)  # an empty array or object has no scalar to change
    path = data.draw(st.sampled_from(paths))
    old = _at(value, path)
    new = data.draw(scalars)
    assume(not (_same_json(old, new) and old == new))
    changed = _replaced(value, path, new)
    assert not matches_json(changed).matches(value)
    assert json_mismatches(matches_json(changed), value)


step_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80) | st.from_regex(
    r'[{}\[\]":,<> a-z0-9.$*\\-]{0,60}', fullmatch=True
)


def _only_clear_errors(function, *args):
    try:
        function(*args)
    except StepInputError as exc:
        assert str(exc), "an error must say something"
        assert "Traceback" not in str(exc)


@SETTINGS
@given(step_text)
def test_no_json_in_a_step_crashes_the_parser(text):
    _only_clear_errors(parse_json, text, "the step")


@SETTINGS
@given(step_text)
def test_no_phrase_crashes_the_vocabulary(text):
    _only_clear_errors(parse_phrase, text, "the step")


@SETTINGS
@given(
    step_text, st.none() | step_text, st.none() | st.lists(st.lists(step_text, min_size=1, max_size=3), min_size=1, max_size=3)
)
def test_no_message_description_crashes_expectation_or_outgoing(words, doc, rows):
    given_input = StepInput(step="the step", doc=doc, rows=rows, directories=[])
    _only_clear_errors(expectation, words, given_input)
    _only_clear_errors(outgoing, words, given_input)
    _only_clear_errors(message_list, given_input)


@SETTINGS
@given(step_text, st.none() | st.lists(st.lists(step_text, min_size=1, max_size=3), min_size=1, max_size=3))
def test_no_connect_or_request_clause_crashes_its_parser(words, rows):
    given_input = StepInput(step="the step", rows=rows, directories=[])
    _only_clear_errors(parse_connect_options, words, given_input)
    _only_clear_errors(parse_request_options, words, given_input)


@SETTINGS
@given(step_text)
def test_no_path_crashes_the_jsonpath_compiler(text):
    _only_clear_errors(compile_path, text, "the step")


@SETTINGS
@given(step_text, json_values)
def test_placeholders_either_fill_or_say_what_is_missing(text, value):
    variables = Variables(userdata={}, environ={})
    variables.remember("v", value)
    for where in ("json", "text", "url", "header"):
        _only_clear_errors(variables.fill, text, where, "the step")


@SETTINGS
@given(json_values)
def test_a_remembered_value_standing_alone_in_json_keeps_its_value(value):
    assume(not (isinstance(value, float) and math.isinf(value)))
    variables = Variables(userdata={}, environ={})
    variables.remember("v", value)
    assert json.loads(variables.fill('{"x": {v}}', "json")) == {"x": value}


@SETTINGS
@given(json_values, json_values)
def test_a_trigger_splits_where_both_sides_are_json(left, right):
    text = f"{json.dumps(left)} then sends {json.dumps(right)}"

    def side(words):
        return parse_json(words, "the step")

    assert split_pair(text, " then sends", side, side, "the step", "X then sends Y") == (left, right)


@SETTINGS
@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_.@-]{0,10}", fullmatch=True), min_size=2, max_size=6, unique=True))
def test_names_are_read_back_as_written(names):
    assume(all(n != "and" for n in names))
    written = ", ".join(names[:-1]) + " and " + names[-1]
    assert parse_names(written) == names
