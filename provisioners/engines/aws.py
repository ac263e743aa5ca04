"""The AWS engine: each Terraform type as boto3 calls.

Clients make one attempt per call: the apply retries a node as a whole (look it up by tag or name, then
create), never a bare create, since a create whose answer was lost may have happened (moto ignores EC2's
ClientToken, measured; real AWS honours it, and run_instances gets it too).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from cloudforge.settings import AwsSettings
from provisioners.engines import Created
from provisioners.graph import NODE_TAG, REQUEST_TAG, Node

RETRYABLE_CODES = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                   "SlowDown", "InternalError", "ServiceUnavailable", "RequestThrottled"}  # fmt: skip
GONE_CODES = {"InvalidVpcID.NotFound", "InvalidSubnetID.NotFound", "InvalidGroup.NotFound",
              "InvalidRouteTableID.NotFound", "InvalidAssociationID.NotFound", "InvalidInstanceID.NotFound",
              "NoSuchBucket", "LoadBalancerNotFound", "TargetGroupNotFound", "DBInstanceNotFound",
              "DBSubnetGroupNotFoundFault", "InvalidTarget", "NoSuchEntity"}  # fmt: skip


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _ec2_tags(kind: str, properties: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": _tag_list(properties["tags"])}]


def _tag_filters(properties: dict[str, Any]) -> list[dict[str, Any]]:
    tags = properties["tags"]
    return [{"Name": f"tag:{key}", "Values": [tags[key]]} for key in (REQUEST_TAG, NODE_TAG)]


def _request_id(response: dict[str, Any]) -> str | None:
    return response.get("ResponseMetadata", {}).get("RequestId")


class AwsEngine:
    """Creates in one account and region through ``session`` (credentials of that account)."""

    def __init__(self, session: boto3.Session, region: str, endpoint_url: str | None = None,
                 timeout_seconds: float = 30.0, pool: int = 16) -> None:  # fmt: skip
        self._session, self._region, self._endpoint = session, region, endpoint_url
        self._config = Config(
            retries={"total_max_attempts": 1}, connect_timeout=timeout_seconds, read_timeout=timeout_seconds,
            max_pool_connections=pool, user_agent_extra="cloudforge-provisioner",
            s3={"addressing_style": "path"} if endpoint_url else None,
        )  # fmt: skip
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service, region_name=self._region, endpoint_url=self._endpoint, config=self._config
                )
            return self._clients[service]

    # the Engine interface -----------------------------------------------------------------------------------
    def find(self, node: Node, properties: dict[str, Any]) -> Created | None:
        return self._handler(node).find(self, properties)

    def create(self, node: Node, properties: dict[str, Any], token: str) -> Created:
        return self._handler(node).create(self, properties, token)

    def configure(self, node: Node, properties: dict[str, Any], created: Created) -> None:
        self._handler(node).configure(self, properties, created)

    def delete(self, node: Node, created: Created) -> str | None:
        try:
            return self._handler(node).delete(self, created)
        except ClientError as error:
            if error.response["Error"]["Code"] in GONE_CODES:
                return None
            raise

    def retryable(self, error: Exception) -> bool:
        if isinstance(error, ClientError):
            return error.response["Error"]["Code"] in RETRYABLE_CODES
        return isinstance(error, ConnectionError | HTTPClientError | BotoCoreError)

    def _handler(self, node: Node) -> Handler:
        return HANDLERS[node.type]


class Handler:
    """One type's calls. ``find`` defaults to nothing (types whose create is idempotent)."""

    def find(self, aws: AwsEngine, p: dict[str, Any]) -> Created | None:
        return None

    def create(self, aws: AwsEngine, p: dict[str, Any], token: str) -> Created:
        raise NotImplementedError

    def configure(self, aws: AwsEngine, p: dict[str, Any], created: Created) -> None:
        pass

    def delete(self, aws: AwsEngine, created: Created) -> str | None:
        raise NotImplementedError


class Ec2Tagged(Handler):
    """An EC2 resource found by its tags: ``describe`` lists them, ``key`` of each is its id."""

    def __init__(self, describe: str, listed: str, key: str, delete: Callable[[Any, str], dict]) -> None:
        self.describe, self.listed, self.key, self._delete = describe, listed, key, delete

    def find(self, aws: AwsEngine, p: dict[str, Any]) -> Created | None:
        found = getattr(aws.client("ec2"), self.describe)(Filters=_tag_filters(p))[self.listed]
        return self.created(found[0], adopted=True) if found else None

    def created(self, item: dict[str, Any], request_id: str | None = None, adopted: bool = False) -> Created:
        return Created(item[self.key], {"id": item[self.key]}, request_id, adopted)

    def delete(self, aws: AwsEngine, created: Created) -> str | None:
        return _request_id(self._delete(aws.client("ec2"), created.physical_id))


class Vpc(Ec2Tagged):
    def __init__(self) -> None:
        super().__init__("describe_vpcs", "Vpcs", "VpcId", lambda ec2, i: ec2.delete_vpc(VpcId=i))

    def create(self, aws, p, token):
        response = aws.client("ec2").create_vpc(
            CidrBlock=p["cidr_block"], TagSpecifications=_ec2_tags("vpc", p)
        )
        return self.created(response["Vpc"], _request_id(response))

    def configure(self, aws, p, created):
        """DNS support is on and DNS hostnames off in a new VPC; set what the blueprint declares otherwise."""
        defaults = {"enable_dns_support": True, "enable_dns_hostnames": False}
        for attribute, default in defaults.items():
            if p.get(attribute, default) != default or created.adopted and attribute in p:
                name = "".join(part.title() for part in attribute.split("_"))
                aws.client("ec2").modify_vpc_attribute(
                    VpcId=created.physical_id, **{name: {"Value": p[attribute]}}
                )


class Subnet(Ec2Tagged):
    def __init__(self) -> None:
        super().__init__(
            "describe_subnets", "Subnets", "SubnetId", lambda ec2, i: ec2.delete_subnet(SubnetId=i)
        )

    def created(self, item, request_id=None, adopted=False):
        attributes = {"id": item["SubnetId"], "availability_zone": item["AvailabilityZone"]}
        return Created(item["SubnetId"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("ec2").create_subnet(
            VpcId=p["vpc_id"],
            CidrBlock=p["cidr_block"],
            AvailabilityZone=p["availability_zone"],
            TagSpecifications=_ec2_tags("subnet", p),
        )
        return self.created(response["Subnet"], _request_id(response))


class RouteTable(Ec2Tagged):
    def __init__(self) -> None:
        super().__init__("describe_route_tables", "RouteTables", "RouteTableId",
                         lambda ec2, i: ec2.delete_route_table(RouteTableId=i))  # fmt: skip

    def create(self, aws, p, token):
        response = aws.client("ec2").create_route_table(
            VpcId=p["vpc_id"], TagSpecifications=_ec2_tags("route-table", p)
        )
        return self.created(response["RouteTable"], _request_id(response))


class RouteTableAssociation(Handler):
    """Found by the table's associations with the subnet."""

    def find(self, aws, p):
        tables = aws.client("ec2").describe_route_tables(RouteTableIds=[p["route_table_id"]])["RouteTables"]
        for association in tables[0].get("Associations", []) if tables else []:
            if association.get("SubnetId") == p["subnet_id"]:
                identity = association["RouteTableAssociationId"]
                return Created(identity, {"id": identity}, adopted=True)
        return None

    def create(self, aws, p, token):
        response = aws.client("ec2").associate_route_table(
            RouteTableId=p["route_table_id"], SubnetId=p["subnet_id"]
        )
        return Created(response["AssociationId"], {"id": response["AssociationId"]}, _request_id(response))

    def delete(self, aws, created):
        return _request_id(aws.client("ec2").disassociate_route_table(AssociationId=created.physical_id))


def _permissions(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"IpProtocol": str(r["protocol"]), "FromPort": int(r["from_port"]), "ToPort": int(r["to_port"]),
         "IpRanges": [{"CidrIp": cidr} for cidr in r.get("cidr_blocks", [])]}
        for r in rules
    ]  # fmt: skip


class SecurityGroup(Ec2Tagged):
    def __init__(self) -> None:
        super().__init__("describe_security_groups", "SecurityGroups", "GroupId",
                         lambda ec2, i: ec2.delete_security_group(GroupId=i))  # fmt: skip

    def created(self, item, request_id=None, adopted=False):
        return Created(
            item["GroupId"], {"id": item["GroupId"], "name": item["GroupName"]}, request_id, adopted
        )

    def create(self, aws, p, token):
        response = aws.client("ec2").create_security_group(
            GroupName=p["name"],
            Description=p.get("description") or p["name"],
            VpcId=p["vpc_id"],
            TagSpecifications=_ec2_tags("security-group", p),
        )
        item = {"GroupId": response["GroupId"], "GroupName": p["name"]}
        return self.created(item, _request_id(response))

    def configure(self, aws, p, created):
        """Make the group's rules the declared ones, as Terraform does: add those it lacks, revoke the others
        (a new group has AWS's default egress, allow all to anywhere, which Terraform removes too)."""
        ec2 = aws.client("ec2")
        if created.adopted:
            group = ec2.describe_security_groups(GroupIds=[created.physical_id])["SecurityGroups"][0]
        else:
            group = {"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
        for direction, existing_key, grant, revoke in (
            ("ingress", "IpPermissions", ec2.authorize_security_group_ingress, ec2.revoke_security_group_ingress),
            ("egress", "IpPermissionsEgress", ec2.authorize_security_group_egress, ec2.revoke_security_group_egress),
        ):  # fmt: skip
            declared = _permissions(p.get(direction, []))
            have = {_rule_key(p_): p_ for p_ in group.get(existing_key, [])}
            missing = [p_ for p_ in declared if _rule_key(p_) not in have]
            extra = [p_ for key, p_ in have.items() if key not in {_rule_key(d) for d in declared}]
            if missing:
                grant(GroupId=created.physical_id, IpPermissions=missing)
            if extra:
                revoke(GroupId=created.physical_id, IpPermissions=[_revocable(p_) for p_ in extra])


def _revocable(permission: dict[str, Any]) -> dict[str, Any]:
    """A described rule as a revoke takes it (without the fields describe adds)."""
    keys = ("IpProtocol", "FromPort", "ToPort", "IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs")
    return {key: permission[key] for key in keys if permission.get(key)}


def _rule_key(permission: dict[str, Any]) -> tuple:
    """What makes two rules the same (all traffic, protocol -1, has no ports)."""
    cidrs = tuple(sorted(r["CidrIp"] for r in permission.get("IpRanges", [])))
    protocol = str(permission["IpProtocol"])
    if protocol == "-1":
        return protocol, None, None, cidrs
    return protocol, permission.get("FromPort"), permission.get("ToPort"), cidrs


class Instance(Ec2Tagged):
    def __init__(self) -> None:
        super().__init__("describe_instances", "Reservations", "InstanceId",
                         lambda ec2, i: ec2.terminate_instances(InstanceIds=[i]))  # fmt: skip

    def find(self, aws, p):
        filters = [
            *_tag_filters(p),
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopped"]},
        ]
        reservations = aws.client("ec2").describe_instances(Filters=filters)["Reservations"]
        instances = [i for r in reservations for i in r["Instances"]]
        return self.created(instances[0], adopted=True) if instances else None

    def created(self, item, request_id=None, adopted=False):
        attributes = {"id": item["InstanceId"], "private_ip": item.get("PrivateIpAddress")}
        return Created(item["InstanceId"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        options = (p.get("metadata_options") or [{}])[0]
        ec2 = aws.client("ec2")
        response = ec2.run_instances(
            ImageId=p["ami"], InstanceType=p["instance_type"], MinCount=1, MaxCount=1, ClientToken=token,
            SubnetId=p["subnet_id"], SecurityGroupIds=p.get("vpc_security_group_ids", []),
            MetadataOptions={"HttpTokens": options.get("http_tokens", "required"),
                             "HttpEndpoint": options.get("http_endpoint", "enabled")},
            Monitoring={"Enabled": bool(p.get("monitoring"))}, BlockDeviceMappings=_root_device(ec2, p),
            **({"IamInstanceProfile": {"Name": p["iam_instance_profile"]}} if p.get("iam_instance_profile") else {}),
            TagSpecifications=_ec2_tags("instance", p),
        )  # fmt: skip
        return self.created(response["Instances"][0], _request_id(response))


def _root_device(ec2: Any, p: dict[str, Any]) -> list[dict[str, Any]]:
    """``root_block_device`` as the mapping of the image's root device (its name comes from the image, as
    Terraform takes it); none declared: the image's own."""
    if not p.get("root_block_device"):
        return []
    device = p["root_block_device"][0]
    try:
        root = ec2.describe_images(ImageIds=[p["ami"]])["Images"][0]["RootDeviceName"]
    except ClientError as error:  # moto launches ids it does not know (the demo's), with this root device
        if error.response["Error"]["Code"] != "InvalidAMIID.NotFound":
            raise
        root = "/dev/sda1"  # on AWS the launch then fails, naming the image
    ebs = {"Encrypted": bool(device.get("encrypted")), "DeleteOnTermination": device.get("delete_on_termination", True),
           **({"VolumeType": device["volume_type"]} if "volume_type" in device else {}),
           **({"VolumeSize": int(device["volume_size"])} if "volume_size" in device else {}),
           **({"KmsKeyId": device["kms_key_id"]} if device.get("kms_key_id") else {})}  # fmt: skip
    return [{"DeviceName": root, "Ebs": ebs}]


class LoadBalancer(Handler):
    """Found by its name, which the plan made unique to the request and node."""

    def find(self, aws, p):
        try:
            found = aws.client("elbv2").describe_load_balancers(Names=[p["name"]])["LoadBalancers"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "LoadBalancerNotFound":
                return None
            raise
        return self.created(found[0], adopted=True) if found else None

    def created(self, item, request_id=None, adopted=False):
        attributes = {
            "arn": item["LoadBalancerArn"],
            "name": item["LoadBalancerName"],
            "dns_name": item["DNSName"],
        }
        return Created(item["LoadBalancerArn"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("elbv2").create_load_balancer(
            Name=p["name"],
            Subnets=p["subnets"],
            SecurityGroups=p.get("security_groups", []),
            Scheme="internal" if p.get("internal") else "internet-facing",
            Type=p.get("load_balancer_type", "application"),
            Tags=_tag_list(p["tags"]),
        )
        return self.created(response["LoadBalancers"][0], _request_id(response))

    def delete(self, aws, created):
        return _request_id(aws.client("elbv2").delete_load_balancer(LoadBalancerArn=created.physical_id))


class TargetGroup(Handler):
    def find(self, aws, p):
        try:
            found = aws.client("elbv2").describe_target_groups(Names=[p["name"]])["TargetGroups"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "TargetGroupNotFound":
                return None
            raise
        return self.created(found[0], adopted=True) if found else None

    def created(self, item, request_id=None, adopted=False):
        attributes = {"arn": item["TargetGroupArn"], "name": item["TargetGroupName"]}
        return Created(item["TargetGroupArn"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("elbv2").create_target_group(
            Name=p["name"],
            Protocol=p.get("protocol", "HTTP"),
            Port=int(p.get("port", 80)),
            VpcId=p["vpc_id"],
            Tags=_tag_list(p["tags"]),
        )
        return self.created(response["TargetGroups"][0], _request_id(response))

    def delete(self, aws, created):
        return _request_id(aws.client("elbv2").delete_target_group(TargetGroupArn=created.physical_id))


class TargetGroupAttachment(Handler):
    """Registering a target twice is harmless: no lookup needed."""

    def create(self, aws, p, token):
        target = {"Id": p["target_id"], **({"Port": int(p["port"])} if "port" in p else {})}
        response = aws.client("elbv2").register_targets(
            TargetGroupArn=p["target_group_arn"], Targets=[target]
        )
        identity = f"{p['target_group_arn']}|{p['target_id']}"
        return Created(identity, {"id": identity, "target": target}, _request_id(response))

    def delete(self, aws, created):
        group, _, _ = created.physical_id.partition("|")
        target = created.attributes["target"]
        return _request_id(aws.client("elbv2").deregister_targets(TargetGroupArn=group, Targets=[target]))


class Bucket(Handler):
    """Found by its name; tagged in configure (a bucket created but not yet tagged is found all the same)."""

    def find(self, aws, p):
        try:
            aws.client("s3").head_bucket(Bucket=p["bucket"])
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchBucket", "NotFound"):
                return None
            raise
        return self.created(p["bucket"], adopted=True)

    def created(self, name, request_id=None, adopted=False):
        return Created(name, {"id": name, "bucket": name, "arn": f"arn:aws:s3:::{name}"}, request_id, adopted)

    def create(self, aws, p, token):
        region = aws.client("s3").meta.region_name
        location = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        response = aws.client("s3").create_bucket(Bucket=p["bucket"], **location)
        return self.created(p["bucket"], _request_id(response))

    def configure(self, aws, p, created):
        aws.client("s3").put_bucket_tagging(
            Bucket=created.physical_id, Tagging={"TagSet": _tag_list(p["tags"])}
        )

    def delete(self, aws, created):
        s3 = aws.client("s3")
        versions = s3.list_object_versions(Bucket=created.physical_id)
        for item in [*versions.get("Versions", []), *versions.get("DeleteMarkers", [])]:
            s3.delete_object(Bucket=created.physical_id, Key=item["Key"], VersionId=item["VersionId"])
        return _request_id(s3.delete_bucket(Bucket=created.physical_id))


class BucketSetting(Handler):
    """A bucket companion: one idempotent put; gone with its bucket, which is deleted after it (reverse
    order), unless ``remove`` must undo it first (a TLS-only policy would refuse emptying the bucket over
    plain HTTP, logging would keep writing into it)."""

    def __init__(self, put: Callable[[Any, dict[str, Any]], dict],
                 remove: Callable[[Any, str], dict] | None = None) -> None:  # fmt: skip
        self._put, self._remove = put, remove

    def create(self, aws, p, token):
        response = self._put(aws.client("s3"), p)
        return Created(p["bucket"], {"id": p["bucket"]}, _request_id(response))

    def delete(self, aws, created):
        return _request_id(self._remove(aws.client("s3"), created.physical_id)) if self._remove else None


def _encryption(s3, p):
    default = p["rule"][0]["apply_server_side_encryption_by_default"][0]
    rule = {"SSEAlgorithm": default["sse_algorithm"],
            **({"KMSMasterKeyID": default["kms_master_key_id"]} if default.get("kms_master_key_id") else {})}  # fmt: skip
    return s3.put_bucket_encryption(
        Bucket=p["bucket"],
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule}]},
    )


def _versioning(s3, p):
    configuration = p["versioning_configuration"][0]
    return s3.put_bucket_versioning(
        Bucket=p["bucket"],
        VersioningConfiguration={"Status": configuration["status"],
                                 **({"MFADelete": configuration["mfa_delete"]} if "mfa_delete" in configuration else {})},
    )  # fmt: skip


def _public_access_block(s3, p):
    keys = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")
    names = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    return s3.put_public_access_block(
        Bucket=p["bucket"], PublicAccessBlockConfiguration={n: bool(p.get(k)) for k, n in zip(keys, names)}
    )


def _json(document: str | dict[str, Any]) -> str:
    return document if isinstance(document, str) else json.dumps(document)


def _logging(s3, p):
    enabled = {"TargetBucket": p["target_bucket"], "TargetPrefix": p.get("target_prefix", "")}
    return s3.put_bucket_logging(Bucket=p["bucket"], BucketLoggingStatus={"LoggingEnabled": enabled})


def _policy(s3, p):
    return s3.put_bucket_policy(Bucket=p["bucket"], Policy=_json(p["policy"]))


class DbSubnetGroup(Handler):
    def find(self, aws, p):
        try:
            aws.client("rds").describe_db_subnet_groups(DBSubnetGroupName=p["name"])
        except ClientError as error:
            if error.response["Error"]["Code"] == "DBSubnetGroupNotFoundFault":
                return None
            raise
        return Created(p["name"], {"id": p["name"], "name": p["name"]}, adopted=True)

    def create(self, aws, p, token):
        response = aws.client("rds").create_db_subnet_group(
            DBSubnetGroupName=p["name"],
            DBSubnetGroupDescription=p.get("description") or p["name"],
            SubnetIds=p["subnet_ids"],
            Tags=_tag_list(p["tags"]),
        )
        return Created(p["name"], {"id": p["name"], "name": p["name"]}, _request_id(response))

    def delete(self, aws, created):
        return _request_id(aws.client("rds").delete_db_subnet_group(DBSubnetGroupName=created.physical_id))


class DbInstance(Handler):
    def find(self, aws, p):
        try:
            found = aws.client("rds").describe_db_instances(DBInstanceIdentifier=p["identifier"])[
                "DBInstances"
            ]
        except ClientError as error:
            if error.response["Error"]["Code"] == "DBInstanceNotFound":
                return None
            raise
        return self.created(found[0], adopted=True)

    def created(self, item, request_id=None, adopted=False):
        endpoint = (item.get("Endpoint") or {}).get("Address")
        attributes = {"id": item["DBInstanceIdentifier"], "identifier": item["DBInstanceIdentifier"],
                      "arn": item["DBInstanceArn"], "endpoint": endpoint}  # fmt: skip
        return Created(item["DBInstanceIdentifier"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("rds").create_db_instance(
            DBInstanceIdentifier=p["identifier"], Engine=p["engine"], EngineVersion=p.get("engine_version"),
            DBInstanceClass=p["instance_class"], AllocatedStorage=int(p["allocated_storage"]),
            StorageType=p.get("storage_type", "gp2"), StorageEncrypted=bool(p.get("storage_encrypted")),
            PubliclyAccessible=bool(p.get("publicly_accessible")), MultiAZ=bool(p.get("multi_az")),
            BackupRetentionPeriod=int(p.get("backup_retention_period", 1)),
            DeletionProtection=bool(p.get("deletion_protection")),
            AutoMinorVersionUpgrade=bool(p.get("auto_minor_version_upgrade", True)),
            MasterUsername=p["username"], ManageMasterUserPassword=bool(p.get("manage_master_user_password")),
            DBSubnetGroupName=p["db_subnet_group_name"], VpcSecurityGroupIds=p.get("vpc_security_group_ids", []),
            EnableIAMDatabaseAuthentication=bool(p.get("iam_database_authentication_enabled")),
            EnableCloudwatchLogsExports=p.get("enabled_cloudwatch_logs_exports", []),
            MonitoringInterval=int(p.get("monitoring_interval", 0)),
            **({"MonitoringRoleArn": p["monitoring_role_arn"]} if p.get("monitoring_role_arn") else {}),
            EnablePerformanceInsights=bool(p.get("performance_insights_enabled")),
            **({"PerformanceInsightsRetentionPeriod": int(p["performance_insights_retention_period"])}
               if "performance_insights_retention_period" in p else {}),
            CopyTagsToSnapshot=bool(p.get("copy_tags_to_snapshot")), Tags=_tag_list(p["tags"]),
        )  # fmt: skip
        return self.created(response["DBInstance"], _request_id(response))

    def delete(self, aws, created):
        rds = aws.client("rds")
        rds.modify_db_instance(
            DBInstanceIdentifier=created.physical_id, DeletionProtection=False, ApplyImmediately=True
        )
        return _request_id(
            rds.delete_db_instance(DBInstanceIdentifier=created.physical_id, SkipFinalSnapshot=True)
        )


def _iam_entity(aws: AwsEngine, operation: str, key: str, **params: Any) -> dict[str, Any] | None:
    """The IAM entity ``operation`` gets, or None when there is no such entity."""
    try:
        return getattr(aws.client("iam"), operation)(**params)[key]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchEntity":
            return None
        raise


class IamRole(Handler):
    """Found by its name (unique to the request and node); its ``inline_policy`` blocks put in configure."""

    def find(self, aws, p):
        role = _iam_entity(aws, "get_role", "Role", RoleName=p["name"])
        return self.created(role, adopted=True) if role else None

    def created(self, role, request_id=None, adopted=False):
        attributes = {"id": role["RoleName"], "name": role["RoleName"], "arn": role["Arn"]}
        return Created(role["RoleName"], attributes, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("iam").create_role(
            RoleName=p["name"], AssumeRolePolicyDocument=_json(p["assume_role_policy"]),
            Description=p.get("description", ""), Tags=_tag_list(p["tags"]),
        )  # fmt: skip
        return self.created(response["Role"], _request_id(response))

    def configure(self, aws, p, created):
        for inline in p.get("inline_policy", []):
            aws.client("iam").put_role_policy(RoleName=created.physical_id, PolicyName=inline["name"],
                                              PolicyDocument=_json(inline["policy"]))  # fmt: skip

    def delete(self, aws, created):
        iam = aws.client("iam")
        for name in iam.list_role_policies(RoleName=created.physical_id)["PolicyNames"]:
            iam.delete_role_policy(RoleName=created.physical_id, PolicyName=name)
        return _request_id(iam.delete_role(RoleName=created.physical_id))


class InstanceProfile(Handler):
    """Found by its name; holds its one ``role`` (added in configure, so a found profile gets it too)."""

    def find(self, aws, p):
        profile = _iam_entity(aws, "get_instance_profile", "InstanceProfile", InstanceProfileName=p["name"])
        return self.created(profile, adopted=True) if profile else None

    def created(self, profile, request_id=None, adopted=False):
        name = profile["InstanceProfileName"]
        return Created(name, {"id": name, "name": name, "arn": profile["Arn"]}, request_id, adopted)

    def create(self, aws, p, token):
        response = aws.client("iam").create_instance_profile(
            InstanceProfileName=p["name"], Tags=_tag_list(p["tags"])
        )
        return self.created(response["InstanceProfile"], _request_id(response))

    def configure(self, aws, p, created):
        iam = aws.client("iam")
        profile = iam.get_instance_profile(InstanceProfileName=created.physical_id)["InstanceProfile"]
        if p["role"] not in [role["RoleName"] for role in profile["Roles"]]:
            iam.add_role_to_instance_profile(InstanceProfileName=created.physical_id, RoleName=p["role"])

    def delete(self, aws, created):
        iam = aws.client("iam")
        profile = iam.get_instance_profile(InstanceProfileName=created.physical_id)["InstanceProfile"]
        for role in profile["Roles"]:
            iam.remove_role_from_instance_profile(
                InstanceProfileName=created.physical_id, RoleName=role["RoleName"]
            )
        return _request_id(iam.delete_instance_profile(InstanceProfileName=created.physical_id))


HANDLERS: dict[str, Handler] = {
    "aws_vpc": Vpc(),
    "aws_subnet": Subnet(),
    "aws_route_table": RouteTable(),
    "aws_route_table_association": RouteTableAssociation(),
    "aws_security_group": SecurityGroup(),
    "aws_instance": Instance(),
    "aws_lb": LoadBalancer(),
    "aws_lb_target_group": TargetGroup(),
    "aws_lb_target_group_attachment": TargetGroupAttachment(),
    "aws_s3_bucket": Bucket(),
    "aws_s3_bucket_server_side_encryption_configuration": BucketSetting(_encryption),
    "aws_s3_bucket_versioning": BucketSetting(_versioning),
    "aws_s3_bucket_public_access_block": BucketSetting(_public_access_block),
    "aws_s3_bucket_policy": BucketSetting(_policy, lambda s3, bucket: s3.delete_bucket_policy(Bucket=bucket)),
    "aws_s3_bucket_logging": BucketSetting(
        _logging, lambda s3, bucket: s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={})
    ),
    "aws_db_subnet_group": DbSubnetGroup(),
    "aws_db_instance": DbInstance(),
    "aws_iam_role": IamRole(),
    "aws_iam_instance_profile": InstanceProfile(),
}


PROVISIONER_ROLE = "CloudForgeProvisioner"
DEMO_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # moto accepts any


def engine_for(aws: AwsSettings, account: str, region: str, workers: int) -> AwsEngine:
    """The engine the settings describe: in demo mode moto's test keys at the demo endpoint, else the boto3
    chain (at ``aws.endpoint_url`` when set)."""
    base = boto3.Session(**DEMO_KEYS) if aws.mode == "demo" else boto3.Session()
    return account_engine(account, region, aws.endpoint_url, workers, base)


def account_engine(account: str, region: str, endpoint_url: str | None, workers: int,
                   base: boto3.Session | None = None) -> AwsEngine:  # fmt: skip
    """The engine for ``account``: the base session (the boto3 chain; in demo mode, moto's test keys) assumes
    ``arn:aws:iam::<account>:role/CloudForgeProvisioner``, the role allowed to create what blueprints hold."""
    base = base or boto3.Session()
    sts = base.client("sts", region_name=region, endpoint_url=endpoint_url)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{PROVISIONER_ROLE}", RoleSessionName="cloudforge-provisioner"
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    return AwsEngine(session, region, endpoint_url, pool=max(workers, 10))
