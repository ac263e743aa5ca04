"""One normalised document per resource type, built from the live inventory or from a Terraform plan.

Policies are written once against these shapes, each declared as a JSON Schema in
``policies/schemas/<type>.json`` (``schemas``): snake_case, ``tags`` always a ``{key: value}`` object
without empty values, timestamps RFC 3339 in UTC. Two sources feed them:

* ``from_inventory(resource_type, document)`` (``inventory``): the AWS API documents the inventory stores.
* ``from_plan(plan)`` (``plan``): ``terraform show -json`` plans.

A field is ``null`` when the source cannot know it (most often: a value Terraform only learns on apply).
Policies deny on known values only, so an unknown never fails a plan. Both mappers produce exactly the
schema's keys (tests/policies/test_policy_schemas.py); nothing validates on the hot path.
"""

from policies.documents.fields import Doc, DocumentError
from policies.documents.inventory import from_inventory
from policies.documents.plan import (
    PLAN_RESOURCE_TYPES,
    PlanDocuments,
    PlanFormatError,
    from_plan,
    validate_plan,
)
from policies.documents.schemas import RESOURCE_TYPES

__all__ = [
    "PLAN_RESOURCE_TYPES",
    "RESOURCE_TYPES",
    "Doc",
    "DocumentError",
    "PlanDocuments",
    "PlanFormatError",
    "from_inventory",
    "from_plan",
    "validate_plan",
]
