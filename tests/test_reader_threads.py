"""Reader threads are kept for the next connection, a bounded number of them, and hold nothing of the last."""

import threading

from wsitest_steps import Cast, Settings, json_message
from wsitest_steps.connection import threads


def named(name):
    return [t for t in threading.enumerate() if t.name == name]


def test_the_next_connection_reads_on_the_thread_the_last_one_left(chat_server):
    cast = Cast(Settings(url_template=chat_server.url))
    try:
        rob = cast.connect("Rob")
        (robs_reader,) = named("wsitest-reader-Rob")
        rob.disconnect()
        assert named("wsitest-reader-Rob") == []
        assert robs_reader in named(threads.IDLE_NAME)
        bob = cast.connect("Bob")
        assert named("wsitest-reader-Bob") == [robs_reader]
        bob.expect(json_message({"message": "Bob has connected"}), 10)
    finally:
        cast.close_all()


def test_no_more_threads_than_kept_stay_parked_after_a_crowd_leaves(chat_server):
    cast = Cast(Settings(url_template=chat_server.url + "&quiet=1"))
    try:
        for n in range(threads.KEPT + 8):
            cast.connect(f"u{n}")
        assert len([t for t in threading.enumerate() if t.name.startswith("wsitest-reader-u")]) == threads.KEPT + 8
    finally:
        cast.close_all()
    assert [t for t in threading.enumerate() if t.name.startswith("wsitest-reader-")] == []
    # A thread not parked when its job ended is ending: each is waited for, bounded.
    parked = {worker.thread for worker in threads._parked}
    for thread in named(threads.IDLE_NAME):
        if thread not in parked:
            thread.join(5)
            assert not thread.is_alive()
    assert len(named(threads.IDLE_NAME)) == threads.KEPT


def test_a_job_knows_its_own_thread_and_can_be_waited_for():
    # An actor released from its own reader thread (a standing reply's failure) must not wait for itself.
    handed, finish = threading.Event(), threading.Event()
    seen = []
    running = None

    def job():
        handed.wait(5)
        seen.append(running.is_current())
        finish.wait(5)

    running = threads.start(job, "wsitest-reader-itself")
    handed.set()
    assert not running.is_current()
    assert not running.wait(0.05)
    finish.set()
    assert running.wait(5)
    assert seen == [True]
    assert not running.is_current()
