"""Every command the CLI offers is documented in the README, with options that exist."""

import re
from pathlib import Path

import pytest

from scraper.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
OPTION_IN_CODE = re.compile(r"[`\[](--[a-z][\w-]*)")


def section_of(command: str) -> str:
    heading = f"### `pressarchiv {command}"
    assert heading in README, f"README has no section for pressarchiv {command}"
    return README.split(heading, 1)[1].split("\n#", 1)[0]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_a_readme_section(command):
    assert section_of(command).strip()


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_documented_option_exists(command):
    options = {opt for param in main.commands[command].params for opt in param.opts}
    documented = set(OPTION_IN_CODE.findall(section_of(command)))
    assert documented - options - {"--help"} == set()
