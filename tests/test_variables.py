"""Placeholders: typed in JSON, interpolated in strings, encoded in URLs; unknown names explained."""

import json

import pytest

from wsitest_steps import StepInputError
from wsitest_steps.language.variables import Variables
from wsitest_steps.recording.redaction import Redactor


@pytest.fixture
def variables():
    values = Variables(
        userdata={"api_token": "u-secret-123", "greeting": "hi", "base": "ws://h:1/chat"}, environ={"ROOM": "blue lagoon"}
    )
    values.remember("order", {"id": 17, "items": [{"sku": "A-1"}]})
    values.remember("n", 3)
    values.remember("name", 'Rob "the" Smith')
    return values


def test_a_placeholder_standing_alone_keeps_its_json_type(variables):
    text = variables.fill('{"order": {order}, "n": {n}, "id": {order.id}, "sku": {order.items[0].sku}}', "json")
    assert json.loads(text) == {"order": {"id": 17, "items": [{"sku": "A-1"}]}, "n": 3, "id": 17, "sku": "A-1"}


def test_a_placeholder_inside_a_string_is_interpolated_and_escaped(variables):
    text = variables.fill('{"note": "order {order.id} for {name}", "all": "{order}"}', "json")
    assert json.loads(text) == {"note": 'order 17 for Rob "the" Smith', "all": '{"id": 17, "items": [{"sku": "A-1"}]}'}


def test_urls_headers_and_text(variables):
    assert variables.fill("/rooms/{env.ROOM}?who={name}", "url") == "/rooms/blue%20lagoon?who=Rob%20%22the%22%20Smith"
    assert variables.fill("{userdata.base}/rooms", "url") == "ws://h:1/chat/rooms"
    assert variables.fill("Bearer {userdata.api_token}", "header") == "Bearer u-secret-123"
    assert variables.fill("{n} items", "text") == "3 items"


def test_json_objects_are_never_placeholders_and_a_backslash_writes_a_literal_brace(variables):
    assert variables.fill('{"a": {"b": 1}}', "json") == '{"a": {"b": 1}}'
    assert variables.fill("a \\{n} b", "text") == "a {n} b"


def test_the_triggering_message_is_reachable_explicitly_and_as_a_fallback(variables):
    message = {"id": 99, "n": 1}
    assert variables.fill("{message.id} {id} {n} {message}", "text", message=message) == '99 99 3 {"id": 99, "n": 1}'


def test_an_unknown_placeholder_names_what_exists(variables):
    with pytest.raises(StepInputError) as failure:
        variables.fill('{"id": {ordr.id}}', "json", step="Rob sends ...")
    assert str(failure.value).startswith(
        "Nothing is remembered as {ordr.id} (step: Rob sends ...). Remembered in this scenario: n, name, order."
    )


def test_values_with_secret_names_are_masked_wherever_they_appear():
    redactor = Redactor()
    values = Variables(userdata={"api_token": "u-secret-123"}, environ={"DB_PASSWORD": "hunter2hunter2"}, redactor=redactor)
    values.remember("session_token", "s-0123456789")
    values.fill("{userdata.api_token} {env.DB_PASSWORD}", "text")
    assert redactor.text("a u-secret-123 b hunter2hunter2 c s-0123456789") == "a *** b *** c ***"


def test_the_namespaces_cannot_be_overwritten(variables):
    with pytest.raises(StepInputError):
        variables.remember("env", "x")


def test_an_actor_placeholder_is_the_name_it_goes_by_on_the_wire():
    assert Variables().fill('{"message": "{actor.Rob} has connected"}', "json") == '{"message": "Rob has connected"}'
    under_load = Variables(actor_suffix="-w1-4242-7")
    assert under_load.fill("ws://host/?name={actor.Rob}", "url") == "ws://host/?name=Rob-w1-4242-7"
    assert under_load.fill("{actor.Rob}", "text") == "Rob-w1-4242-7"
