"""What happens to the demo estate between two inventory syncs, so the inventory's history has something to show:
resources created by hand, changed out of band and deleted.

``CHANGES`` declares them: what kind of event each makes in ``marts.resource_changes``, which resource it touches
(the first of the estate, in creation order, that ``pick`` accepts; a created resource is new) and, for a change,
the top-level keys of the resource's API document it changes. ``apply_changes`` makes them through boto3 in
the seeded moto server; tests derive their exact expectations from the same records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from demo.estate import Estate, ResourceSpec
from demo.seeding import ResourceIds, account_client

# A change's action: (the client factory for the resource's account and region, the spec, its id) -> its id.
Client = Callable[[str], Any]
Action = Callable[[Client, ResourceSpec, str], str]


@dataclass(frozen=True)
class Change:
    kind: str  # created | changed | deleted: the event it makes
    resource_type: str
    pick: Callable[[ResourceSpec], bool]  # the resource it touches, or (created) where the new one goes
    act: Action
    attributes: tuple[str, ...] = ()  # changed: the document keys that change


@dataclass(frozen=True)
class AppliedChange:
    """A change as the inventory will see it."""

    kind: str
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    attributes: tuple[str, ...]


def _resize(client: Client, spec: ResourceSpec, instance_id: str) -> str:
    client("ec2").modify_instance_attribute(InstanceId=instance_id, InstanceType={"Value": "m5.2xlarge"})
    return instance_id


def _open_ssh(client: Client, spec: ResourceSpec, group_id: str) -> str:
    rule = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    client("ec2").authorize_security_group_ingress(GroupId=group_id, IpPermissions=[rule])
    return group_id


def _enable_versioning(client: Client, spec: ResourceSpec, bucket: str) -> str:
    client("s3").put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return bucket


def _tag_role(client: Client, spec: ResourceSpec, role: str) -> str:
    client("iam").tag_role(RoleName=role, Tags=[{"Key": "reviewed", "Value": "no"}])
    return role


def _hand_made_group(client: Client, spec: ResourceSpec, vpc_id: str) -> str:
    return client("ec2").create_security_group(GroupName="hand-made", Description="made by hand", VpcId=vpc_id)[
        "GroupId"
    ]


def _hand_made_bucket(client: Client, spec: ResourceSpec, _: str) -> str:
    name = f"hand-made-{spec.account_id}"
    location = {} if spec.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": spec.region}}
    client("s3").create_bucket(Bucket=name, **location)
    return name


def _hand_made_user(client: Client, spec: ResourceSpec, _: str) -> str:
    return client("iam").create_user(UserName="contractor")["User"]["UserName"]


def _delete_volume(client: Client, spec: ResourceSpec, volume_id: str) -> str:
    client("ec2").delete_volume(VolumeId=volume_id)
    return volume_id


def _release_address(client: Client, spec: ResourceSpec, allocation_id: str) -> str:
    client("ec2").release_address(AllocationId=allocation_id)
    return allocation_id


def _delete_function(client: Client, spec: ResourceSpec, name: str) -> str:
    client("lambda").delete_function(FunctionName=name)
    return name


def _is(resource_type: str, condition: Callable[[dict[str, Any]], bool] = lambda _: True):
    return lambda spec: spec.resource_type == resource_type and spec.managed_by == "estate" and condition(
        spec.attributes
    )


CHANGES: tuple[Change, ...] = (
    Change("changed", "ec2_instance", _is("ec2_instance", lambda a: a["state"] == "stopped"), _resize,
           ("InstanceType",)),
    Change("changed", "security_group", _is("security_group", lambda a: (22, "0.0.0.0/0") not in a["ingress"]),
           _open_ssh, ("IpPermissions",)),
    Change("changed", "s3_bucket", _is("s3_bucket", lambda a: not a["versioning"]), _enable_versioning,
           ("Versioning",)),
    Change("changed", "iam_role", _is("iam_role", lambda a: a["trusted_principal"].endswith(".amazonaws.com")),
           _tag_role, ("Tags",)),
    # created: the new security group goes in the first VPC, the bucket and the user in the first bucket's place
    Change("created", "security_group", _is("vpc"), _hand_made_group),
    Change("created", "s3_bucket", _is("s3_bucket"), _hand_made_bucket),
    Change("created", "iam_user", _is("iam_user"), _hand_made_user),
    Change("deleted", "ebs_volume", _is("ebs_volume", lambda a: a["attached_to"] is None), _delete_volume),
    Change("deleted", "elastic_ip", _is("elastic_ip", lambda a: a["associated_with"] is None), _release_address),
    Change("deleted", "lambda_function", _is("lambda_function"), _delete_function),
)
EXPECTED_COUNTS = Counter(change.kind for change in CHANGES)  # created 3, changed 4, deleted 3


def apply_changes(estate: Estate, resource_ids: ResourceIds, endpoint_url: str) -> list[AppliedChange]:
    """Make ``CHANGES`` in the moto server seeded with ``estate`` (``resource_ids`` as seeding returned them)."""
    applied = []
    for change in CHANGES:
        spec = next(s for s in estate.resources if change.pick(s))
        resource_id = resource_ids[(*spec.key, spec.name)][0]

        def client(service: str, spec: ResourceSpec = spec) -> Any:
            return account_client(endpoint_url, spec.account_id, service, spec.region)

        changed_id = change.act(client, spec, resource_id)
        applied.append(
            AppliedChange(change.kind, spec.account_id, spec.region, change.resource_type, changed_id, change.attributes)
        )
    return applied
