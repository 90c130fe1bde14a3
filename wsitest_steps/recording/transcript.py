"""Plain-text transcripts of what an actor did and received, for failure reports."""

from __future__ import annotations

from collections.abc import Sequence

from hamcrest.core.matcher import Matcher

from ..matching.describe import listed, mismatch
from ..model.events import CloseSent, Event, Sent
from ..model.frames import Closure, Frame
from ..model.wording import plural
from .lines import line
from .redaction import Redactor

NEAR_MISSES = 3
# A flood of frames must not turn a failure report into megabytes: keep the start, where
# the conversation began, and the end, where the failing step was waiting.
KEEP_FIRST = 40
KEEP_LAST = 120


def near_misses(matcher: Matcher[Frame], frames: Sequence[Frame], origin: float, limit: int = NEAR_MISSES) -> list[str]:
    """The unread frames that came closest to ``matcher``, each with every difference.

    Closest means the most expected values right, then the fewest differing places, then the
    oldest: a message wrong in one field comes before one that is wrong as a whole (an array where
    an object was expected is one difference, but gets nothing right). Only matchers that can list
    their differences (JSON expectations) rank frames; frames that are not JSON never rank.
    """
    mismatch_list = getattr(matcher, "mismatch_list", None)
    if mismatch_list is None:
        return []
    agreement = getattr(matcher, "agreement", lambda frame: 0)
    ranked = []
    for frame in frames:
        if frame.unread and frame.is_message:
            differences = mismatch_list(frame)
            if differences:
                ranked.append((-agreement(frame), len(differences), frame.index, frame, differences))
    if not ranked:
        return []
    ranked.sort(key=lambda entry: entry[:3])
    lines = ["Closest to what was expected:"]
    for _, count, _, frame, differences in ranked[:limit]:
        places = plural(count, "place")
        lines.append(f"  #{frame.index} at +{frame.received_at - origin:.3f}s differs in {places}: {frame.describe()}")
        lines.extend(f"      {difference}" for difference in listed(differences))
    return lines


Entry = Frame | Event | Closure


def _at(entry: Entry) -> float:
    if isinstance(entry, Frame):
        return entry.received_at
    return entry.at


def transcript(
    actor: str,
    frames: Sequence[Frame],
    closure: Closure | None,
    origin: float,
    matcher: Matcher[Frame] | None = None,
    events: Sequence[Event] = (),
    closures: Sequence[Closure] = (),
    redactor: Redactor | None = None,
    connected: bool = True,
) -> str:
    """Everything ``actor`` did and received, oldest first, then how its connection stands.

    Times are seconds since ``origin`` (the scenario's start). ``connected=False`` is for an
    actor that only made HTTP requests. Received frames are numbered;
    frames used by earlier steps name that step and ignored frames their rule; with a
    ``matcher``, the closest unread frames come first and each other frame carries the
    matcher's reason for not matching it.
    """
    lines = near_misses(matcher, frames, origin) if matcher is not None else []
    closures = list(closures) or ([closure] if closure is not None else [])
    sent = sum(1 for event in events if isinstance(event, (Sent, CloseSent)))
    entries: list[Entry] = sorted([*frames, *events, *closures], key=_at)
    if not entries:
        lines.append(f"{actor} received no frames in this scenario.")
    else:
        counts = f"{plural(len(frames), 'frame')} received, {sent} sent"
        lines.append(f"{actor}'s transcript ({counts}), oldest first, in seconds from the start of the scenario:")
        shown: list[Entry | None] = list(entries)
        left_out: list[Entry] = []
        if len(entries) > KEEP_FIRST + KEEP_LAST:
            left_out = entries[KEEP_FIRST:-KEEP_LAST]
            shown = [*entries[:KEEP_FIRST], None, *entries[-KEEP_LAST:]]
        for entry in shown:
            if entry is None:
                frames_out = sum(isinstance(e, Frame) for e in left_out)
                lines.append(f"  ... {len(left_out)} entries not shown ({frames_out} of them received frames) ...")
            else:
                lines.extend(_entry_lines(entry, origin, matcher))
    if not connected:
        lines.append(f"{actor} opened no websocket in this scenario.")
    elif closure is None:
        lines.append(f"{actor}'s connection is still open.")
    else:
        lines.append(f"{actor}'s connection was {closure.describe()} at +{closure.at - origin:.3f}s.")
    text = "\n".join(lines)
    return redactor.text(text) if redactor is not None else text


def _entry_lines(entry: Entry, origin: float, matcher: Matcher[Frame] | None) -> list[str]:
    when = f"+{_at(entry) - origin:.3f}s"
    if isinstance(entry, Closure):
        return [f"  {when}  connection {entry.describe()}"]
    if not isinstance(entry, Frame):
        if entry.by_rule:
            return [f"  {when}  {line(entry)} (by {entry.step})"]
        lines = [f"  {when}  {line(entry)}"]
        if isinstance(entry, (Sent, CloseSent)) and entry.step:
            lines.append(f"{' ' * (len(when) + 4)}sent by the step: {entry.step}")
        return lines
    frame = entry
    if frame.message is not None:
        aside = " (the protocol's own)" if frame.message.control and frame.used_by is None else ""
        lines = [f"  {when}  #{frame.index} received {frame.describe()}{aside}"]
    else:
        lines = [f"  {when}  #{frame.index} received {frame.kind}: {frame.describe()}"]
    indent = " " * (len(when) + 4)
    if frame.used_by is not None and frame.used_by_rule:
        lines.append(f"{indent}answered by {frame.used_by}")
    elif frame.used_by is not None:
        lines.append(f"{indent}already used by the step: {frame.used_by}")
    elif frame.ignored_by is not None:
        lines.append(f"{indent}ignored: {frame.ignored_by}")
    elif frame.superseded:
        lines.append(f"{indent}from connection {frame.connection}, before a reconnect: no longer counts")
    elif not frame.is_message:
        pass
    elif matcher is not None:
        lines.append(f"{indent}not a match: {mismatch(matcher, frame)}")
    else:
        lines.append(f"{indent}not used by any step")
    return lines
