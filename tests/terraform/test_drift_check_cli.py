"""`cloudforge drift check` on bad input: exit 2 with a message naming what and where, before any warehouse work."""

from __future__ import annotations

from click.testing import CliRunner
from support.terraform_state import STATES

from cloudforge.cli import main


def test_a_state_older_than_v4_exits_2_naming_the_file() -> None:
    legacy = STATES / "legacy" / "terraform.tfstate"
    result = CliRunner().invoke(main, ["drift", "check", "--state", str(legacy)])
    assert result.exit_code == 2
    assert f"{legacy}: state format version 3 is not supported" in result.output


def test_a_path_without_states_exits_2(tmp_path) -> None:
    result = CliRunner().invoke(main, ["drift", "check", "--state", str(tmp_path), "--format", "json"])
    assert (result.exit_code, result.output.strip()) == (2, f"Error: {tmp_path}: no *.tfstate file found")
