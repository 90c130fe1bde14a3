"""The locustfile of the load benchmark (``benchmarks/load.py`` runs it, one Locust process).

``BENCH_MODE`` is ``library`` (FeatureUser running ``load_feature/hear.feature``: connect, then hear
the broadcast) or ``hand`` (a plain Locust user written with websocket-client). Once all
``BENCH_USERS`` are connected, one more connection sends a broadcast stamped with
``time.monotonic()`` (one clock for every process of the machine); each user notes when the
broadcast reached it: for an actor, when its reader read the frame. The results go to
``BENCH_OUT`` as JSON, then Locust is told to quit.
"""

from __future__ import annotations

import json
import os
import time
from typing import ClassVar

import gevent
import websocket
from locust import User, events, task

from benchmarks import load_state
from wsitest_steps.load import FeatureUser

URL = os.environ["BENCH_URL"]

if os.environ["BENCH_MODE"] == "library":

    class Library(FeatureUser):
        features: ClassVar[list[str]] = [os.path.join(os.path.dirname(__file__), "load_feature", "hear.feature")]
        userdata: ClassVar[dict[str, str]] = {"ws_url": URL, "ws_connect_timeout": "60"}

else:

    class ByHand(User):
        def on_start(self) -> None:
            self.ws = websocket.create_connection(URL.replace("{name}", f"hand{id(self)}"), timeout=load_state.DEADLINE)
            load_state.joined()

        @task
        def hear(self) -> None:
            while True:
                text = json.loads(self.ws.recv())["message"]
                if text.startswith("announcer: bench "):
                    load_state.heard(text, time.monotonic())
                    break
            load_state.finished.wait(load_state.DEADLINE)

        def on_stop(self) -> None:
            self.ws.close()


def _announce(environment) -> None:
    held = load_state.all_connected.wait(load_state.DEADLINE)
    if held:
        announcer = websocket.create_connection(URL.replace("{name}", "announcer"), timeout=load_state.DEADLINE)
        announcer.send(json.dumps({"message": f"bench {time.monotonic()!r}"}))
        load_state.all_heard.wait(load_state.DEADLINE)
        announcer.close()
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump({"connected": load_state.connected, "latencies": list(load_state.latencies)}, out)
    load_state.finished.set()
    environment.runner.quit()


@events.test_start.add_listener
def _start(environment, **kwargs) -> None:
    gevent.spawn(_announce, environment)
