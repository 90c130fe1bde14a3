"""Plain-text transcripts of what an actor received, for failure reports."""

from __future__ import annotations

from typing import Sequence

from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription

from .frames import Closure, Frame


def describe(matcher: Matcher) -> str:
    """A matcher's own description of what it expects."""
    return str(StringDescription().append_description_of(matcher))


def mismatch(matcher: Matcher, frame: Frame) -> str:
    """The matcher's reason for not matching ``frame``."""
    description = StringDescription()
    matcher.describe_mismatch(frame, description)
    return str(description)


NEAR_MISSES = 3


def near_misses(matcher: Matcher, frames: Sequence[Frame], origin: float, limit: int = NEAR_MISSES) -> list[str]:
    """The unread frames that came closest to ``matcher``, each with every difference.

    Closest means fewest differing places, then oldest. Only matchers that can list their
    differences (JSON expectations) rank frames; frames that are not JSON never rank.
    """
    mismatch_list = getattr(matcher, "mismatch_list", None)
    if mismatch_list is None:
        return []
    ranked = []
    for frame in frames:
        if frame.unread:
            differences = mismatch_list(frame)
            if differences:
                ranked.append((len(differences), frame.index, frame, differences))
    if not ranked:
        return []
    ranked.sort(key=lambda entry: entry[:2])
    lines = ["Closest to what was expected:"]
    for count, _, frame, differences in ranked[:limit]:
        places = f"{count} place{'s' if count != 1 else ''}"
        lines.append(f"  #{frame.index} at +{frame.received_at - origin:.3f}s differs in {places}: {frame.describe()}")
        lines.extend(f"      {difference}" for difference in differences)
    return lines


def transcript(
    actor: str,
    frames: Sequence[Frame],
    closure: Closure | None,
    origin: float,
    matcher: Matcher | None = None,
) -> str:
    """Every frame ``actor`` received, oldest first, then how the connection stands.

    Times are seconds since ``origin`` (the scenario's first use of the library). Frames
    used by earlier steps name that step and ignored frames their rule; with a ``matcher``,
    the closest unread frames come first and each other frame carries the matcher's reason
    for not matching it.
    """
    lines = near_misses(matcher, frames, origin) if matcher is not None else []
    if not frames:
        lines.append(f"{actor} received no frames in this scenario.")
    else:
        count = f"{len(frames)} frame{'s' if len(frames) != 1 else ''}"
        lines.append(f"{actor} received {count} in this scenario, oldest first:")
        for frame in frames:
            lines.append(f"  #{frame.index} at +{frame.received_at - origin:.3f}s {frame.kind}: {frame.describe()}")
            if frame.used_by is not None:
                lines.append(f"      already used by the step: {frame.used_by}")
            elif frame.ignored_by is not None:
                lines.append(f"      ignored: {frame.ignored_by}")
            elif matcher is not None:
                lines.append(f"      not a match: {mismatch(matcher, frame)}")
            else:
                lines.append("      not used by any step")
    if closure is None:
        lines.append(f"{actor}'s connection is still open.")
    else:
        lines.append(f"{actor}'s connection was {closure.describe()} at +{closure.at - origin:.3f}s.")
    return "\n".join(lines)
