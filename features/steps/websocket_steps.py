from wsitest_steps.steps import *  # noqa: F401,F403  (the one line a project needs)
