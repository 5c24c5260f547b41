"""The README stays true: commands, quick start, and CI running the README's test command."""

from __future__ import annotations

import re

import pytest

from zi_media.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text()


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"### `zi-media {command}" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    assert "Example:" in (cli.commands[command].help or "")


def test_quick_start_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(bash dev\.sh \w+)", quick, flags=re.M)
    assert commands == ["bash dev.sh demo", "bash dev.sh test"]
    assert "bash dev.sh test" in (REPO / ".ci/run").read_text()


def test_exit_codes_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in README
