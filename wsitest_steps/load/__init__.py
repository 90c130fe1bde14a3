"""Feature files as a Locust load test (``pip install 'wsitest-steps[load]'``).

``python -m wsitest_steps.load FEATURE ... [--tags TAG ...] [--weight TAG=N ...] [-D KEY=VALUE ...] -- [locust options]``
runs the scenarios as Locust users; :class:`FeatureUser` does the same in a locustfile of your own.
Locust is imported when one of these names is first used, not before: it patches the standard
library for gevent as it loads, which a locustfile wants first and nothing else wants at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .locust_user import FeatureUser, StepFailed

__all__ = ["FeatureUser", "StepFailed"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import locust_user

        return getattr(locust_user, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
