"""Secrets in headers, query parameters, URLs and text never reach a report."""

from wsitest_steps.recording.redaction import MASK, Redactor


def test_secret_headers_are_masked_and_their_values_remembered():
    redactor = Redactor(extra_names=["X-Tenant-Key"])
    assert redactor.header("Authorization", "Bearer abc.def.ghi") == MASK
    assert redactor.header("x-tenant-key", "tenant-42-key") == MASK
    assert redactor.header("X-Client", "tests") == "tests"
    assert redactor.text("echoed: Bearer abc.def.ghi and abc.def.ghi and tenant-42-key") == "echoed: *** and *** and ***"


def test_urls_lose_secret_query_values_and_passwords():
    redactor = Redactor(extra_names=["sig"])
    shown = redactor.url("wss://rob:pa55word@host/feed?room=1&token=t0k3n-value&sig=abcdefgh")
    assert shown == "wss://rob:***@host/feed?room=1&token=***&sig=***"
    assert redactor.text("pa55word t0k3n-value") == "*** ***"


def test_short_values_are_masked_in_place_but_not_hunted_in_free_text():
    redactor = Redactor()
    assert redactor.header("Cookie", "a=1") == MASK
    assert redactor.text("a=1 stays readable in a message") == "a=1 stays readable in a message"
