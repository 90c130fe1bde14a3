"""Sentences of AsyncAPI contracts: the document a scenario's messages are held to, and a check of them all.

Once a document is in use (this sentence, or ``ws_asyncapi`` for every scenario), every message
sent and received on one of its channels is checked: a message the document does not allow
there fails the step that sends it, and the step that receives it (or the actor's next step).
``a "UserJoined" message`` and ``the example of "SendMessage"`` name the document's messages in
any sentence that expects or sends one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from behave import use_step_matcher

from ..errors import StepInputError, at_step
from ..integration.context import cast_of, finish_step
from ..language.step_input import decode_quoted
from ._support import step, step_input, written

use_step_matcher("re")


@step(r'the AsyncAPI document (?P<path>"[^"]+")\Z')
def wsitest_asyncapi_document(context: Any, path: str) -> None:
    """Hold every message of the scenario, from now on, to an AsyncAPI document (2.6 or 3.x, YAML or JSON).

    The path is read from the working directory, then beside the feature file. Its channels
    become endpoints too (``connects to the marketDataV1 endpoint``, at ws_asyncapi_url or its
    first server), unless userdata names a URL for them.

    Given the AsyncAPI document "asyncapi.yaml"
    """
    step_text = written(context, f"the AsyncAPI document {path}")
    given = step_input(context, step_text)
    name = decode_quoted(given.fill(path, "text"), "the AsyncAPI document", step_text)
    candidates = [directory / name for directory in given.file_directories()]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        tried = " and ".join(str(p.resolve()) for p in candidates)
        raise StepInputError(f"There is no AsyncAPI document {name}{at_step(step_text)} (looked for {tried}).")
    cast_of(context).use_contract(Path(found))
    finish_step(context)


@step(r"every message in this scenario conformed to the document\Z")
def wsitest_every_message_conformed(context: Any) -> None:
    """Every message sent and received so far in the scenario was one the AsyncAPI document allows, on its channel.

    Then every message in this scenario conformed to the document
    """
    step_text = written(context, "every message in this scenario conformed to the document")
    cast_of(context).check_conformed(step_text)
    finish_step(context)


use_step_matcher("parse")
