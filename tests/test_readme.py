"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines[:5] if line.startswith("    ")]
    assert len(commands) == 2, "the README starts with exactly two set-up commands"
    app, tests = commands
    assert app.endswith("reviewer demo")
    assert tests.endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in [line.strip() for line in ci], ".ci/run runs the README's test command exactly"


def test_every_package_is_installed() -> None:
    """pyproject lists packages explicitly (resources/ maps to reviewer.resources): none may be missing."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "reviewer").rglob("__init__.py")
    } | {"reviewer.resources"}
    assert found == listed
