"""The declared document shapes: one JSON Schema per resource type, ``policies/schemas/<type>.json``.

JSON Schema files rather than Python declarations, because the same file serves every reader as it is:
the schema of a policy's ``input.resources.<type>[_]`` for regorus (``json.match_schema``), editors and
other tools, the mappers' parity test, the policies' METADATA examples, and anyone writing a policy.
Every object in them lists all its properties as required and admits no others, so a valid document has
exactly the declared keys.

Validation uses regorus's ``json.match_schema``, the engine that runs the policies; it is for tests and
``cloudforge policy test``, never for the hot path.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import regorus

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
RESOURCE_TYPES = frozenset(path.stem for path in SCHEMA_DIR.glob("*.json"))

_MATCH = """package cloudforge.schema
import rego.v1
result := json.match_schema(input.value, input.schema)
"""


@cache
def schema(resource_type: str) -> dict[str, Any]:
    """The JSON Schema of one resource type's document."""
    if resource_type not in RESOURCE_TYPES:
        raise KeyError(f"no schema for {resource_type!r}; known: {', '.join(sorted(RESOURCE_TYPES))}")
    return json.loads((SCHEMA_DIR / f"{resource_type}.json").read_text(encoding="utf-8"))


def schema_error(resource_type: str, document: Any) -> str | None:
    """Why the document does not match its type's schema (the first violation), or None when it does."""
    engine = regorus.Engine()
    engine.add_policy("schema.rego", _MATCH)
    engine.set_input({"value": document, "schema": schema(resource_type)})
    matches, error = engine.eval_rule("data.cloudforge.schema.result")
    return None if matches else error
