"""Where a scenario's :class:`~wsitest_steps.cast.Cast` lives on behave's context."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from ..errors import ExpectationFailed
from ..scenario.cast import Cast
from ..settings import Settings, StrictMode
from . import behave_model
from .stopping import stop_on_sigterm

log = logging.getLogger("wsitest_steps")

# One namespaced attribute, so the library never shadows behave's own context names.
ATTRIBUTE = "wsitest"

#: Called with (scenario, cast) whenever a scenario's cast is created: report formatters use
#: this to find what a scenario's actors did. Empty unless such a formatter runs.
cast_listeners: list[Callable[[Any, Cast], None]] = []


def cast_of(context: Any) -> Cast:
    """The current scenario's cast, created on first use.

    Creating it registers a cleanup with ``context.add_cleanup``, so every actor is closed and
    its reader thread joined when the scenario ends, failed or not, without the user writing a
    hook. Set inside a step, the attribute lives in the scenario's context layer, so the next
    scenario starts with a fresh cast.
    """
    cast = getattr(context, ATTRIBUTE, None)
    if cast is None:
        stop_on_sigterm()
        userdata = behave_model.userdata(context)
        cast = Cast(Settings.from_userdata(userdata), userdata)
        setattr(context, ATTRIBUTE, cast)
        # The scenario is read now, inside a step: by cleanup time behave has left its layer.
        scenario = behave_model.current_scenario(context)
        behave_model.add_cleanup(context, _end_of_scenario, scenario, cast)
        for listener in cast_listeners:
            try:
                listener(scenario, cast)
            except Exception as exc:  # a report must never break a scenario
                log.warning("a report could not follow this scenario: %s", exc)
    return cast


def finish_step(context: Any) -> None:
    """Called at the end of every wsitest step: fails it if an automatic reply failed meanwhile,
    and in strict mode, the scenario's last step also checks that no actor holds messages no
    step used (``ws_strict``).

    Failing there, inside a step, gives a plain failure in every behave version and in JUnit.
    """
    cast = getattr(context, ATTRIBUTE, None)
    if cast is None:
        return
    cast.raise_rule_failures()
    if cast.contract is not None and behave_model.running_last_step(behave_model.current_scenario(context)):
        cast.raise_contract_failures()  # a message that broke the document, and arrived after every step that could say so
    if (
        cast.settings.strict is StrictMode.OFF
        or cast.unread_checked
        or not behave_model.running_last_step(behave_model.current_scenario(context))
    ):
        return
    cast.unread_checked = True
    _act_on(cast, cast.unread_failure())


def _end_of_scenario(scenario: Any, cast: Cast) -> None:
    # The fallback for scenarios whose last step is not one of ours. A cleanup that raises is
    # reported by behave 1.3 as "cleanup_error" (with a traceback) and by 1.2.6 as a failure.
    unread = None
    try:
        _add_transcripts_to_failure(scenario, cast)
        if cast.settings.strict is not StrictMode.OFF and not cast.unread_checked and behave_model.all_passed(scenario):
            cast.unread_checked = True
            unread = cast.unread_failure()
    finally:
        cast.close_all()
    _act_on(cast, unread)


def _add_transcripts_to_failure(scenario: Any, cast: Cast) -> None:
    """Put every actor's transcript in the failed step's report: behave prints it, JUnit holds it.

    The failing step's own report already has the transcript of the actor it was about; the
    others are added here, at the end of the scenario, so that the failures of any step (your
    own included) show the whole conversation. Never raises.
    """
    try:
        failed = behave_model.first_failed_step(scenario)
        names = cast.names() if failed is not None else []
        if not names:
            return
        shown = getattr(behave_model.exception_of(failed), "transcripts", ())
        missing = [name for name in names if name not in shown]
        if not missing:
            return
        which = "other actors" if len(missing) < len(names) else "actors"
        section = f"Transcripts of the {which} in this scenario:\n" + "\n\n".join(cast.transcript_of(n) for n in missing)
        behave_model.append_to_error(failed, section)
        # behave printed the failure already; what is printed now follows it (1.3 shows it as
        # the scenario's captured cleanup output).
        print(section, flush=True)
    except Exception as exc:  # a report must never break the run
        log.warning("could not add transcripts to the failure report: %s", exc)


def _act_on(cast: Cast, unread: ExpectationFailed | None) -> None:
    if unread is None:
        return
    if cast.settings.strict is StrictMode.FAIL:
        raise unread
    log.warning("%s", unread)
    # Also past behave's output capture, which would hide a warning in a passing scenario.
    print(f"wsitest-steps warning: {unread}", file=sys.__stderr__, flush=True)
