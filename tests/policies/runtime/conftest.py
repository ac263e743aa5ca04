"""A fresh database per test holding the hand-built inventory, and one loaded policy library per session."""

from __future__ import annotations

import re

import pytest
from policy_inventory import INVENTORY, load_inventory

from cloudforge.warehouse import create_database
from policies.evaluate import Evaluator


@pytest.fixture(scope="session")
def evaluator() -> Evaluator:
    return Evaluator()


@pytest.fixture
def policy_url(warehouse_url: str, request: pytest.FixtureRequest) -> str:
    """A fresh database holding INVENTORY in raw_aws.resources."""
    url = create_database(
        warehouse_url, "policy_runtime_" + re.sub(r"\W", "_", request.node.name)[:40].lower()
    )
    load_inventory(url, INVENTORY)
    return url
