"""The inbox: each frame used once, unmatched frames kept in order, waits woken by arrivals, bounded."""

import threading
import time

from wsitest_steps.connection.deadline import Deadline
from wsitest_steps.connection.inbox import Inbox
from wsitest_steps.model.frames import Closure
from wsitest_steps.model.kinds import Closer, FrameKind

LONG = 30.0  # a deadline no passing test comes near; failing to wake would show as a 30 s test


def is_text(value):
    return lambda frame: frame.payload == value


def test_a_frame_already_received_is_taken_and_used_once():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "a")
    first = inbox.take(is_text("a"), Deadline.after(LONG), used_by="step 1")
    assert first.index == 1 and first.used_by == "step 1"
    assert inbox.take(is_text("a"), Deadline.after(0.05), used_by="step 2") is None


def test_expecting_the_same_message_twice_needs_two_frames():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "a")
    inbox.put(FrameKind.TEXT, "a")
    deadline = Deadline.after(LONG)
    assert inbox.take(is_text("a"), deadline, "one").index == 1
    assert inbox.take(is_text("a"), deadline, "two").index == 2


def test_unmatched_frames_stay_for_later_steps_in_arrival_order():
    inbox = Inbox()
    for payload in ("x", "y", "target", "z"):
        inbox.put(FrameKind.TEXT, payload)
    assert inbox.take(is_text("target"), Deadline.after(LONG), "s").index == 3
    assert [f.payload for f in inbox.unused()] == ["x", "y", "z"]
    assert inbox.take(lambda f: True, Deadline.after(LONG), "next").payload == "x"


def test_a_waiter_wakes_when_the_matching_frame_arrives():
    inbox = Inbox()
    examined = threading.Event()

    def matches(frame):
        examined.set()  # the waiter is scanning, so the next put lands while it waits
        return frame.payload == "wanted"

    result = {}
    waiter = threading.Thread(target=lambda: result.update(frame=inbox.take(matches, Deadline.after(LONG), "s")))
    started = time.monotonic()
    inbox.put(FrameKind.TEXT, "noise")
    waiter.start()
    assert examined.wait(LONG)
    inbox.put(FrameKind.TEXT, "wanted")
    waiter.join(LONG)
    assert result["frame"].payload == "wanted"
    assert time.monotonic() - started < LONG / 2, "the waiter should wake on arrival, not at its deadline"


def test_a_wait_gives_up_at_its_deadline():
    inbox = Inbox()
    started = time.monotonic()
    assert inbox.take(lambda f: True, Deadline(started + 0.2), "s") is None
    assert time.monotonic() - started >= 0.2


def test_closing_wakes_a_waiter_at_once():
    inbox = Inbox()
    result = {}
    waiter = threading.Thread(target=lambda: result.update(frame=inbox.take(lambda f: True, Deadline.after(LONG), "s")))
    started = time.monotonic()
    waiter.start()
    inbox.close(Closure(Closer.SERVER, 1011, "boom", time.monotonic()))
    waiter.join(LONG)
    assert result == {"frame": None}
    assert inbox.closure.code == 1011
    assert time.monotonic() - started < LONG / 2


def test_frames_received_before_the_close_still_match_after_it():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "last words")
    inbox.close(Closure(Closer.SERVER, 1000, "", time.monotonic()))
    assert inbox.take(is_text("last words"), Deadline.after(LONG), "s").index == 1


def test_a_frame_received_after_the_deadline_does_not_count():
    inbox = Inbox()
    deadline = Deadline(time.monotonic())
    inbox.put(FrameKind.TEXT, "late")
    assert inbox.take(lambda f: True, deadline, "s") is None


def test_find_leaves_the_frame_unused():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "a")
    assert inbox.find(is_text("a"), Deadline.after(LONG)).index == 1
    assert inbox.unused()[0].used_by is None


def test_only_the_first_closure_counts():
    inbox = Inbox()
    inbox.close(Closure(Closer.SERVER, 1011, "first", 1.0))
    inbox.close(Closure(Closer.CLIENT, 1000, "second", 2.0))
    assert inbox.closure.reason == "first"


def test_noise_declared_later_also_covers_unread_frames_already_received():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "heartbeat")
    inbox.put(FrameKind.TEXT, "data")
    inbox.ignore(is_text("heartbeat"), "heartbeats are noise")
    assert [f.payload for f in inbox.unused()] == ["data"]
    assert inbox.frames()[0].ignored_by == "heartbeats are noise"


def test_ignored_frames_never_match_and_later_ones_are_ignored_on_arrival():
    inbox = Inbox()
    inbox.ignore(is_text("heartbeat"), "noise")
    inbox.put(FrameKind.TEXT, "heartbeat")
    assert inbox.take(lambda f: True, Deadline.after(0.05), "s") is None
    inbox.put(FrameKind.TEXT, "heartbeat")
    inbox.put(FrameKind.TEXT, "data")
    assert inbox.take(lambda f: True, Deadline.after(LONG), "s").payload == "data"
    assert inbox.unused() == []


def test_a_frame_used_before_the_rule_stays_used():
    inbox = Inbox()
    inbox.put(FrameKind.TEXT, "heartbeat")
    inbox.take(is_text("heartbeat"), Deadline.after(LONG), "the step that wanted it")
    inbox.ignore(is_text("heartbeat"), "noise")
    frame = inbox.frames()[0]
    assert (frame.used_by, frame.ignored_by) == ("the step that wanted it", None)
