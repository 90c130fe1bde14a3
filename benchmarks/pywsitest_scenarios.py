"""pywsitest 0.3.8 running the same scenarios; executed by a throwaway venv's Python.

Imports nothing from this repository: it runs where only pywsitest is installed.
Usage: python pywsitest_scenarios.py BASE_URL COUNT REPEATS TWO_USER_REPEATS; prints JSON.
"""

import asyncio
import json
import sys
import time

from pywsitest import WSMessage, WSResponse, WSTest


def scenario_two(base):
    return (
        WSTest(base)
        .with_parameter("name", "Rob")
        .with_response(
            WSResponse()
            .with_attribute("message", "Rob has connected")
            .with_trigger(WSMessage().with_attribute("message", "Hello, world!"))
        )
        .with_response(WSResponse().with_attribute("message", "Rob: Hello, world!"))
    )


async def seconds_per_scenario_two(base, count):
    started = time.perf_counter()
    for _ in range(count):
        test = scenario_two(base)
        await test.run()
        assert test.is_complete()
    return (time.perf_counter() - started) / count


async def two_users(base):
    """The two-user example as pywsitest's blog post writes it: user_2 starts 2 s later."""
    user_1 = (
        WSTest(base)
        .with_parameter("name", "user_1")
        .with_response(
            WSResponse()
            .with_attribute("message", "user_2 has connected")
            .with_trigger(WSMessage().with_attribute("message", "Hello"))
        )
        .with_response(WSResponse().with_attribute("message", "user_2: Hi there"))
    )
    user_2 = (
        WSTest(base)
        .with_parameter("name", "user_2")
        .with_response(
            WSResponse()
            .with_attribute("message", "user_1: Hello")
            .with_trigger(WSMessage().with_attribute("message", "Hi there"))
        )
        .with_response(WSResponse().with_attribute("message", "user_1 has disconnected"))
    )

    async def second_user():
        await asyncio.sleep(2)  # pywsitest's own ordering device: user_1 must be connected first
        await user_2.run()

    started = time.perf_counter()
    await asyncio.gather(user_1.run(), second_user())
    assert user_1.is_complete() and user_2.is_complete()
    return time.perf_counter() - started


async def main():
    base, count, repeats, two_user_repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    result = {
        "scenario_two": [await seconds_per_scenario_two(base, count) for _ in range(repeats)],
        "two_users": [await two_users(base) for _ in range(two_user_repeats)],
    }
    print(json.dumps(result))


asyncio.run(main())
