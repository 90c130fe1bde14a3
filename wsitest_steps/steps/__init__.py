"""The wsitest-steps sentences for behave.

Wire them into a project with one line in any file under ``features/steps/``::

    from wsitest_steps.steps import *

Importing registers the steps; ``__all__`` is empty so nothing else lands in your namespace.
Each module restores behave's default step matcher at its end, so your own steps defined
after the import keep using the "parse" matcher they expect.
"""

# Registration order matters: behave uses the first pattern that matches, and the general
# single-actor sentences ("Rob receives <message>") would also match the more specific ones
# ("everyone receives ...", "Rob receives ... before Bob receives ...", "whenever ...").
from . import timeline_steps, rule_steps, protocol_steps, contract_steps, connection_steps, variable_steps, http_steps, message_steps  # noqa: F401,I001  # fmt: skip

__all__: list[str] = []
