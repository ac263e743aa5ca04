"""The resource types a blueprint may declare: Terraform types, with the attributes other resources may refer to
and the name attribute the planner fills in when the blueprint leaves it out.

Blueprints speak Terraform's types and arguments, so one rendered graph serves the policy gate (judged as a
``terraform show -json`` plan), the Terraform engine (Terraform JSON) and the AWS engine (boto3 calls).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """``attributes``: what a reference may read after create; ``name_attribute``: the argument holding the
    resource's unique name, derived from the request and node when the blueprint gives none; ``name_limit``:
    the longest name AWS accepts; ``lowercase``: names must be lowercase (buckets, RDS)."""

    attributes: tuple[str, ...]
    name_attribute: str | None = None
    name_limit: int = 255
    lowercase: bool = False
    tagged: bool = True  # takes tags (companions such as a bucket policy do not)


KINDS: dict[str, Kind] = {
    "aws_vpc": Kind(("id",)),
    "aws_subnet": Kind(("id", "availability_zone")),
    "aws_route_table": Kind(("id",)),
    "aws_route_table_association": Kind(("id",), tagged=False),
    "aws_security_group": Kind(("id", "name"), "name", 255),
    "aws_instance": Kind(("id", "private_ip")),
    "aws_lb": Kind(("arn", "name", "dns_name"), "name", 32),
    "aws_lb_target_group": Kind(("arn", "name"), "name", 32),
    "aws_lb_target_group_attachment": Kind(("id",), tagged=False),
    "aws_s3_bucket": Kind(("id", "bucket", "arn"), "bucket", 63, lowercase=True),
    "aws_s3_bucket_policy": Kind(("id",), tagged=False),
    "aws_s3_bucket_server_side_encryption_configuration": Kind(("id",), tagged=False),
    "aws_s3_bucket_public_access_block": Kind(("id",), tagged=False),
    "aws_s3_bucket_versioning": Kind(("id",), tagged=False),
    "aws_s3_bucket_logging": Kind(("id",), tagged=False),
    "aws_db_subnet_group": Kind(("id", "name"), "name", 255, lowercase=True),
    "aws_db_instance": Kind(("id", "identifier", "arn", "endpoint"), "identifier", 63, lowercase=True),
    "aws_iam_role": Kind(("id", "name", "arn"), "name", 64),
    "aws_iam_instance_profile": Kind(("id", "name", "arn"), "name", 128),
}


def physical_name(kind: Kind, request_id: str, node_id: str) -> str:
    """A name unique to the request and node, within the type's limit: ``cf-<request>-<node>``, the node part
    shortened with a digest when too long (the same in every process)."""
    node = re.sub(r"[^A-Za-z0-9]+", "-", node_id).strip("-")
    name = f"cf-{request_id[-8:]}-{node}"
    if len(name) > kind.name_limit:
        digest = hashlib.blake2b(node_id.encode(), digest_size=4).hexdigest()
        name = f"{name[: kind.name_limit - 9].rstrip('-')}-{digest}"
    return name.lower() if kind.lowercase else name
