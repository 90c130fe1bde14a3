from wsitest_steps.steps import *
