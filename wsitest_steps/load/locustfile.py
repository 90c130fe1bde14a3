"""The locustfile ``python -m wsitest_steps.load`` hands to Locust.

The feature files, tags, weights and userdata come from that command, in the ``WSITEST_LOAD``
environment variable, so that the master and every worker started with the same command run
the same scenarios.
"""

from __future__ import annotations

import json
import os
from typing import ClassVar

from wsitest_steps.load import FeatureUser

_asked = json.loads(os.environ.get("WSITEST_LOAD") or "{}")


class Scenarios(FeatureUser):
    """The scenarios the command named."""

    features: ClassVar[list[str]] = list(_asked.get("features", []))
    tags: ClassVar[list[str]] = list(_asked.get("tags", []))
    weights: ClassVar[dict[str, int]] = dict(_asked.get("weights", {}))
    userdata: ClassVar[dict[str, str]] = dict(_asked.get("userdata", {}))
