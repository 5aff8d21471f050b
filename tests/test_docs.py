"""Every command the CLI offers is documented in the README, with options that exist."""

import re
from pathlib import Path

import pytest

from scraper.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
OPTION_IN_CODE = re.compile(r"[`\[](--[a-z][\w-]*)")


def section_of(command: str) -> str:
    heading = re.search(rf"^### `pressarchiv {re.escape(command)}[ `]", README, re.MULTILINE)
    assert heading, f"README has no section for pressarchiv {command}"
    return README[heading.start() + 4 :].split("\n#", 1)[0]


def options_of(command) -> set[str]:
    """Every option of a command, and of its subcommands for a group."""
    options = {opt for param in command.params for opt in param.opts}
    for sub in getattr(command, "commands", {}).values():
        options |= options_of(sub)
    return options


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_a_readme_section(command):
    assert section_of(command).strip()


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_documented_option_exists(command):
    options = options_of(main.commands[command])
    documented = set(OPTION_IN_CODE.findall(section_of(command)))
    assert documented - options - {"--help"} == set()
