"""The wsitest-steps sentences for behave.

Wire them into a project with one line in any file under ``features/steps/``::

    from wsitest_steps.steps import *

Importing registers the steps; ``__all__`` is empty so nothing else lands in your namespace.
Each module restores behave's default step matcher at its end, so your own steps defined
after the import keep using the "parse" matcher they expect.
"""

# timeline_steps first: its sentences must win over the single-actor patterns.
from . import timeline_steps, connection_steps, message_steps  # noqa: F401,I001  (importing registers the steps)

__all__: list[str] = []
