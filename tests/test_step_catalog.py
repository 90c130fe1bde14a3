"""Every sentence documents itself, so `behave --steps-catalog` is the reference."""

import inspect

from tests.behave_project import failing_first, run_behave
from tests.test_demo_suite import ROOT
from wsitest_steps.catalog import SECTIONS


def step_functions():
    for _, module in SECTIONS:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("wsitest_"):
                yield function


def test_every_step_has_a_docstring_with_an_example_sentence():
    functions = list(step_functions())
    assert len(functions) >= 20
    for function in functions:
        doc = inspect.getdoc(function) or ""
        summary, *rest = doc.splitlines()
        assert summary.endswith("."), f"{function.__name__} needs a one-sentence summary"
        examples = [line.strip() for line in rest if line.strip().split(" ")[0] in ("Given", "When", "Then")]
        assert examples, f"{function.__name__} has no example sentence"


def test_steps_catalog_shows_the_documentation():
    result = run_behave(ROOT, "--dry-run", "--steps-catalog", "features/")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "Given user Rob connects" in result.stdout
    assert "Then Rob does not receive" in result.stdout
    # What docs/steps.md says the catalog holds: every sentence's documentation, summary first.
    from wsitest_steps.catalog import SECTIONS, split_docstring, step_functions

    for _, module in SECTIONS:
        for function in step_functions(module):
            summary, _, _ = split_docstring(function)
            assert summary in result.stdout, f"--steps-catalog lacks: {summary}"


def test_docs_steps_md_is_generated_from_the_docstrings_and_up_to_date():
    import subprocess
    import sys

    from wsitest_steps.catalog import render

    assert (ROOT / "docs" / "steps.md").read_text() == render(), (
        "docs/steps.md is out of date: run python -m wsitest_steps.catalog --write docs/steps.md"
    )
    check = subprocess.run([sys.executable, "-m", "wsitest_steps.catalog", "--check", "docs/steps.md"], cwd=ROOT)
    assert check.returncode == 0


def test_the_check_fails_on_a_stale_reference(tmp_path):
    import subprocess
    import sys

    stale = tmp_path / "steps.md"
    stale.write_text("# Steps reference\n\nhand-edited\n")
    check = subprocess.run(
        [sys.executable, "-m", "wsitest_steps.catalog", "--check", str(stale)], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    assert check.returncode == 1
    assert "is out of date: run python -m wsitest_steps.catalog --write" in check.stderr


def test_every_step_module_has_a_section_of_the_reference():
    import pkgutil

    from wsitest_steps import catalog, steps

    documented = {module.__name__ for _, module in catalog.SECTIONS}
    modules = {f"wsitest_steps.steps.{m.name}" for m in pkgutil.iter_modules(steps.__path__) if not m.name.startswith("_")}
    assert modules == documented, f"not in catalog.SECTIONS: {sorted(modules - documented)}"
