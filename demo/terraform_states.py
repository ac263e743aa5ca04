"""The demo estate as Terraform declared it: one state per account and environment in the demo cloud's S3, with
deliberate drift, and the counts per drift category that the drift marts must show.

``plan_drift(estate)`` decides, deterministically from the estate's seed, what happened since Terraform applied:

* created by hand (running, not declared): one security group open to the world on port 22, one instance, one
  bucket, one IAM user (the user is a break-glass account the demo's ignore rule covers: counted as ignored);
* deleted out of band (declared, not running): an instance, a bucket and an IAM role;
* changed: two security groups opened to the world after apply (declared without their world rules), two instances
  whose type was changed, three resources whose ``cost-center`` tag was removed, and two functions whose memory was
  tuned (the demo's ignore rules cover the first, and un-ignore the second with a negation).

``DriftPlan.expected_counts()`` is the estate spec for drift: managed, changed, missing, unmanaged, ignored. The
states are published as the S3 backend keeps workspaces: an account's first environment at
``estate/<account>/terraform.tfstate``, every other at ``env:/<env>/estate/<account>/terraform.tfstate``. Each
state also holds a data source, a database password and an access key secret (``CANARY_SECRETS``), which must
never reach the warehouse, logs or pages.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from cloudforge.settings import DEMO_ACCOUNTS, DriftIgnoreRule, Settings, TerraformStateSource
from demo.billing import MANAGEMENT_ACCOUNT
from demo.billing_exports import EXPORT_REGION
from demo.estate import ACCOUNT_ENVS, WORLD, Estate, ResourceSpec
from demo.seeding import ResourceIds, account_client

STATE_BUCKET = "cloudforge-terraform-states"  # in us-east-2, outside the inventoried regions, like the billing export
STATE_PREFIX = "estate/"
PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
NETWORK_TYPES = ("vpc", "subnet", "security_group")
TERRAFORM_TYPE = {
    "ec2_instance": "aws_instance", "ebs_volume": "aws_ebs_volume", "ebs_snapshot": "aws_ebs_snapshot",
    "elastic_ip": "aws_eip", "security_group": "aws_security_group", "vpc": "aws_vpc", "subnet": "aws_subnet",
    "s3_bucket": "aws_s3_bucket", "rds_instance": "aws_db_instance", "iam_user": "aws_iam_user",
    "iam_role": "aws_iam_role", "lambda_function": "aws_lambda_function", "load_balancer": "aws_lb",
    "kms_key": "aws_kms_key",
}
ID_ATTRIBUTE = {"elastic_ip": "allocation_id", "s3_bucket": "bucket", "rds_instance": "identifier",
                "iam_user": "name", "iam_role": "name", "lambda_function": "function_name", "load_balancer": "name",
                "kms_key": "key_id"}
CANARY_SECRETS = ("cf-canary-db-password-5be1c0de", "cf-canary-access-key-secret-7a11f00d")
REMOVED_TAG = {"cost-center": "cc-4711"}
INSTANCE_TYPES = ("t3.micro", "t3.medium", "m5.large", "m5.xlarge", "c5.2xlarge", "r5.large")


@dataclass(frozen=True)
class Deleted:
    """A resource declared but deleted out of band: it has no spec, only what the state says."""

    account_id: str
    region: str
    resource_type: str
    resource_id: str
    arn: str


@dataclass(frozen=True)
class DriftPlan:
    declared: tuple[ResourceSpec, ...]  # running and declared
    by_hand: tuple[ResourceSpec, ...]
    opened: tuple[ResourceSpec, ...]
    retyped: tuple[ResourceSpec, ...]
    untagged: tuple[ResourceSpec, ...]
    tuned: tuple[ResourceSpec, ...]  # the first's change is ignored, the second's not
    deleted: tuple[Deleted, ...]
    ignore: tuple[DriftIgnoreRule, ...] = field(default=())

    def expected_counts(self) -> dict[str, int]:
        changed = len(self.opened) + len(self.retyped) + len(self.untagged) + 1
        return {"managed": len(self.declared) - changed, "changed": changed, "missing": len(self.deleted),
                "unmanaged": len(self.by_hand) - 1, "ignored": 1}


def plan_drift(estate: Estate) -> DriftPlan:
    rng = random.Random(f"drift-{estate.seed}")
    own = [r for r in estate.resources if r.managed_by == "estate" and r.resource_type in TERRAFORM_TYPE]
    taken: set[int] = set()

    def pick(candidates: list[ResourceSpec], n: int) -> tuple[ResourceSpec, ...]:
        """Up to n of the candidates not taken yet: a small estate has only two world-open security groups."""
        free = [c for c in candidates if id(c) not in taken]
        chosen = rng.sample(free, min(n, len(free)))
        taken.update(id(c) for c in chosen)
        return tuple(chosen)

    def of(resource_type: str, condition=lambda r: True) -> list[ResourceSpec]:
        return [r for r in own if r.resource_type == resource_type and condition(r)]

    world_open = of("security_group", lambda r: any(
        port in (22, 3389) and cidr == WORLD for port, cidr in r.attributes["ingress"]))
    ssh_open = [r for r in world_open if (22, WORLD) in r.attributes["ingress"]]
    running = of("ec2_instance", lambda r: r.attributes["state"] == "running")
    by_hand = pick(ssh_open, 1) + pick(running, 1) + pick(of("s3_bucket"), 1) + pick(of("iam_user"), 1)
    opened = pick(world_open, 2)
    retyped = pick(of("ec2_instance"), 2)
    untagged = pick([r for r in own if r.resource_type in ("vpc", "s3_bucket", "kms_key") and r.raw_tags], 3)
    tuned = pick(of("lambda_function"), 2)
    first, second = DEMO_ACCOUNTS[0], DEMO_ACCOUNTS[1]
    deleted = (
        Deleted(first, "us-east-1", "ec2_instance", "i-0de1e7edc0ffee001",
                f"arn:aws:ec2:us-east-1:{first}:instance/i-0de1e7edc0ffee001"),
        Deleted(second, "eu-west-1", "s3_bucket", "payments-s3-bucket-retired", "arn:aws:s3:::payments-s3-bucket-retired"),
        Deleted(second, "global", "iam_role", "search-iam-role-retired",
                f"arn:aws:iam::{second}:role/search-iam-role-retired"),
    )
    ignore = (
        DriftIgnoreRule(type="iam_user", id=by_hand[3].name, reason="break-glass user, created by hand on purpose"),
        DriftIgnoreRule(type="lambda_function", attributes=["memory_size"], reason="memory is tuned by the cost job"),
        DriftIgnoreRule(type="lambda_function", id=f"!{tuned[1].name}", attributes=["memory_size"]),
    )
    declared = tuple(r for r in own if id(r) not in {id(h) for h in by_hand})
    return DriftPlan(declared, by_hand, opened, retyped, untagged, tuned, deleted, ignore)



def state_key(account_id: str, env: str) -> str:
    key = f"{STATE_PREFIX}{account_id}/terraform.tfstate"
    return key if env == ACCOUNT_ENVS[account_id][0] else f"env:/{env}/{key}"


def demo_state_source() -> TerraformStateSource:
    """Where the demo publishes its states, read through the management account's role like the inventory."""
    return TerraformStateSource(uri=f"s3://{STATE_BUCKET}/{STATE_PREFIX}", account_id=MANAGEMENT_ACCOUNT)


def build_states(estate: Estate, resource_ids: ResourceIds) -> dict[str, dict[str, Any]]:
    """S3 key -> the state document (format version 4) of each account and environment."""
    plan = plan_drift(estate)
    placed: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    for spec in plan.declared:
        resource_id, arn = resource_ids[(*spec.key, spec.name)]
        attributes = _attributes(spec, resource_id, arn, resource_ids, plan)
        placed.setdefault((spec.account_id, _env(spec)), []).append((spec.resource_type, spec.name, attributes))
    for gone in plan.deleted:
        attributes = {"id": gone.resource_id, "arn": gone.arn, ID_ATTRIBUTE.get(gone.resource_type, "id"): gone.resource_id,
                      "region": gone.region, "tags": {"team": "payments", "env": "prod"}}
        placed.setdefault((gone.account_id, ACCOUNT_ENVS[gone.account_id][0]), []).append(
            (gone.resource_type, gone.resource_id, attributes))
    return {state_key(account, env): _state(account, env, resources, estate.seed)
            for (account, env), resources in sorted(placed.items())}


def publish_demo_states(estate: Estate, resource_ids: ResourceIds, endpoint_url: str) -> list[str]:
    """Write the states into the demo cloud's S3, replacing an earlier publication; returns their URIs."""
    s3 = account_client(endpoint_url, MANAGEMENT_ACCOUNT, "s3", EXPORT_REGION)
    try:
        s3.create_bucket(Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": EXPORT_REGION})
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=STATE_BUCKET):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=STATE_BUCKET, Key=item["Key"])
    states = build_states(estate, resource_ids)
    for key, state in states.items():
        s3.put_object(Bucket=STATE_BUCKET, Key=key, Body=json.dumps(state, indent=2).encode())
    return [f"s3://{STATE_BUCKET}/{key}" for key in states]


def _env(spec: ResourceSpec) -> str:
    env = spec.canonical_tags.get("env")
    return env if env in ACCOUNT_ENVS[spec.account_id] else ACCOUNT_ENVS[spec.account_id][0]


def _attributes(spec: ResourceSpec, resource_id: str, arn: str, ids: ResourceIds, plan: DriftPlan) -> dict[str, Any]:
    """What Terraform recorded at apply: the spec as created, before the plan's out-of-band changes."""
    a, here = spec.attributes, (spec.account_id, spec.region)

    def id_of(resource_type: str, name: str) -> str:
        return ids[(*here, resource_type, name)][0]

    tags = dict(spec.raw_tags) | (REMOVED_TAG if spec in plan.untagged else {})
    attributes: dict[str, Any] = {"id": resource_id, "arn": arn, ID_ATTRIBUTE.get(spec.resource_type, "id"): resource_id,
                                  "tags": tags}
    match spec.resource_type:
        case "vpc":
            attributes |= {"cidr_block": a["cidr_block"]}
        case "subnet":
            attributes |= {"vpc_id": id_of("vpc", a["vpc"]), "cidr_block": a["cidr_block"],
                           "availability_zone": a["availability_zone"]}
        case "security_group":
            rules = [(port, cidr) for port, cidr in a["ingress"] if not (spec in plan.opened and cidr == WORLD)]
            attributes |= {"name": spec.name, "vpc_id": id_of("vpc", a["vpc"]), "ingress": [
                {"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": [cidr], "ipv6_cidr_blocks": [],
                 "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""}
                for port, cidr in rules]}
        case "ec2_instance":
            instance_type = a["instance_type"]
            if spec in plan.retyped:
                instance_type = INSTANCE_TYPES[(INSTANCE_TYPES.index(instance_type) + 1) % len(INSTANCE_TYPES)]
            attributes |= {"instance_type": instance_type, "subnet_id": id_of("subnet", a["subnet"]),
                           "vpc_security_group_ids": [id_of("security_group", a["security_group"])]}
        case "ebs_volume":
            attributes |= {"availability_zone": a["availability_zone"], "size": a["size_gib"],
                           "type": a["volume_type"], "encrypted": a["encrypted"]}
        case "ebs_snapshot":
            attributes |= {"volume_id": id_of("ebs_volume", a["volume"]), "encrypted": a["encrypted"]}
        case "s3_bucket":
            attributes |= {"region": spec.region}
        case "rds_instance":
            attributes |= {"engine": a["engine"], "instance_class": a["instance_class"],
                           "publicly_accessible": a["publicly_accessible"], "storage_encrypted": a["encrypted"],
                           "password": CANARY_SECRETS[0]}
        case "iam_user" | "iam_role":
            attributes |= {"path": "/"}
        case "lambda_function":
            memory = a["memory_mb"] // 2 if spec in plan.tuned else a["memory_mb"]
            attributes |= {"runtime": a["runtime"], "memory_size": memory}
        case "load_balancer":
            attributes |= {"internal": a["scheme"] == "internal", "load_balancer_type": "application"}
        case "kms_key":
            attributes |= {"description": spec.name, "enable_key_rotation": a["rotation_enabled"]}
    return attributes


def _state(account_id: str, env: str, resources: list[tuple[str, str, dict[str, Any]]], seed: int) -> dict[str, Any]:
    """A version 4 state: one block per type (for_each by name; subnets in module.network by count), a data
    source, and an access key whose secret is marked sensitive."""
    blocks: dict[str, dict[str, Any]] = {}
    for resource_type, name, attributes in sorted(resources, key=lambda r: (r[0], r[1])):
        block = blocks.setdefault(resource_type, {
            "mode": "managed", "type": TERRAFORM_TYPE[resource_type], "name": "this", "provider": PROVIDER,
            "instances": [],
            **({"module": "module.network"} if resource_type in NETWORK_TYPES else {}),
        })
        key: int | str = len(block["instances"]) if resource_type == "subnet" else name
        sensitive = [[{"type": "get_attr", "value": "password"}]] if "password" in attributes else []
        block["instances"].append({"index_key": key, "schema_version": 0, "attributes": attributes,
                                   "sensitive_attributes": sensitive})
    extras = [
        {"mode": "data", "type": "aws_caller_identity", "name": "current", "provider": PROVIDER,
         "instances": [{"schema_version": 0, "attributes": {"account_id": account_id, "id": account_id}}]},
        {"mode": "managed", "type": "aws_iam_access_key", "name": "deployer", "provider": PROVIDER,
         "instances": [{"schema_version": 0, "attributes": {"id": "AKIADEMODEPLOYER0001", "secret": CANARY_SECRETS[1]},
                        "sensitive_attributes": [[{"type": "get_attr", "value": "secret"}]]}]},
    ]
    return {
        "version": 4, "terraform_version": "1.9.8", "serial": 7,
        "lineage": str(uuid.uuid5(uuid.NAMESPACE_URL, f"cloudforge-demo/{seed}/{account_id}/{env}")),
        "outputs": {}, "resources": [*blocks.values(), *extras], "check_results": None,
    }


def with_demo_states(settings: Settings) -> Settings:
    """Demo mode with a known demo cloud and no state source configured: the settings reading the published demo
    states, with the demo's ignore rules unless ``drift.ignore`` is configured."""
    if settings.aws.mode != "demo" or settings.terraform.state_sources or not settings.aws.endpoint_url:
        return settings
    from demo.estate import generate_estate

    plan = plan_drift(generate_estate(settings.demo.seed, settings.demo.size))
    terraform = settings.terraform.model_copy(update={"state_sources": [demo_state_source()]})
    drift = settings.drift if settings.drift.ignore else settings.drift.model_copy(update={"ignore": list(plan.ignore)})
    return settings.model_copy(update={"terraform": terraform, "drift": drift})
