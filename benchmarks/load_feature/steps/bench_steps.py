from behave import then

from benchmarks import load_state
from wsitest_steps import StepInput, cast_of, expectation
from wsitest_steps.steps import *  # noqa: F403

BROADCAST = '{"message": "<starting with \\"announcer: bench \\">"}'


@then("{name} hears the broadcast")
def step_hears_the_broadcast(context, name):
    actor = cast_of(context).actor(name)
    load_state.joined()
    frame = actor.expect(expectation(BROADCAST, StepInput(f"Then {name} hears the broadcast")), load_state.DEADLINE)
    load_state.heard(frame.json()["message"], frame.received_at)
    load_state.finished.wait(load_state.DEADLINE)
