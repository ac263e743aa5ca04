"""CI (`cloudforge policy check`) and the runtime read one policy configuration from settings."""

from __future__ import annotations

from pathlib import Path

from cloudforge.settings import load_settings
from policies.config import policy_config


def test_settings_become_the_data_the_policies_read(tmp_path: Path):
    settings = load_settings(
        tags={"required": ["team", "cost-center"]},
        policies={
            "extra_dirs": [str(tmp_path)],
            "allowed_tag_values": {"env": ["prod", "dev"]},
            "instance_families": {"dev": ["t3"]},
        },
    )
    config = policy_config(settings, [tmp_path / "more"])
    assert config.extra_dirs == [tmp_path, tmp_path / "more"]  # configured first, then --policy-dir
    assert config.data() == {
        "cloudforge": {
            "tagging": {"required": ["team", "cost-center"], "allowed_values": {"env": ["prod", "dev"]}},
            "cost": {"instance_families": {"dev": ["t3"]}},
        }
    }
