"""One collector per AWS resource type: (session, region) -> (resource_id, arn, document) for each resource.

Documents are the AWS API shapes as boto3 returns them (PascalCase keys), made JSON-safe (datetimes as
ISO-8601 UTC strings, ``ResponseMetadata`` dropped). Every document also carries a top-level
``"Tags": [{"Key": ..., "Value": ...}]`` list sorted by key, normalised from whatever the API returns
(``Tags``, ``TagList``, ``TagSet``, ``{key: value}`` dicts, ``TagKey``/``TagValue``), so SQL reads tags one
way; the API's own tag field stays as it was. Untagged resources have ``"Tags": []``.

resource_type     resource_id           document: source calls, and keys added to the API shape
ec2_instance      InstanceId            ec2.describe_instances (each Reservations[].Instances[] item);
                                        + BlockDeviceMappings[].Ebs.Encrypted (describe_volumes of the
                                          attached volumes, 200 ids a call; null if gone meanwhile)
ebs_volume        VolumeId              ec2.describe_volumes
ebs_snapshot      SnapshotId            ec2.describe_snapshots(OwnerIds=["self"])
elastic_ip        AllocationId          ec2.describe_addresses
security_group    GroupId               ec2.describe_security_groups
vpc               VpcId                 ec2.describe_vpcs; + FlowLogs (describe_flow_logs of the region
                                          whose ResourceId is the VPC)
subnet            SubnetId              ec2.describe_subnets
s3_bucket         Name                  s3.list_buckets(BucketRegion=region), so each bucket lands in
                                        the slice of its own region; per bucket: + BucketRegion,
                                        + Tags (get_bucket_tagging TagSet),
                                        + ServerSideEncryptionConfiguration (get_bucket_encryption),
                                        + Versioning {Status, MFADelete} (get_bucket_versioning),
                                        + PublicAccessBlockConfiguration (get_public_access_block),
                                        + LoggingEnabled (get_bucket_logging),
                                        + Policy (get_bucket_policy, the JSON text),
                                        + Grants (get_bucket_acl);
                                        a configuration the bucket does not have is null, not an error
rds_instance      DBInstanceIdentifier  rds.describe_db_instances (Tags from TagList); - LatestRestorableTime,
                                        which moves on every call
iam_user          UserName              iam.list_users; region "global"; per user:
                                        + MFADevices (list_mfa_devices),
                                        + AccessKeys (list_access_keys, each + LastUsedDate from
                                          get_access_key_last_used, null if never used),
                                        + LoginProfile (get_login_profile, null when the user has no
                                          console password), + Tags (list_user_tags),
                                        + AttachedPolicies (list_attached_user_policies),
                                        + PolicyNames (list_user_policies: its inline policies)
iam_role          RoleName              iam.list_roles; region "global"; + Tags (list_role_tags)
lambda_function   FunctionName          lambda.list_functions; + Tags (list_tags, a dict)
load_balancer     LoadBalancerName      elbv2.describe_load_balancers; + Tags (describe_tags, 20 ARNs a call),
                                        + TargetGroups (describe_target_groups of the balancer, each
                                          + Targets: describe_target_health's Target and TargetHealth.State)
iam_password_policy  the account id   iam.get_account_password_policy; region "global"; one per account:
                                        {"PasswordPolicy": the API's PasswordPolicy, null when the account
                                        has none (NoSuchEntity: AWS's defaults apply), "Tags": []}
iam_account       the account id        region "global"; one per account, what CIS judges of the root user:
                                        {"AccountSummary": AccountMFAEnabled and AccountAccessKeysPresent of
                                        get_account_summary, "RootUser": the <root_account> row of the
                                        credential report (generate_credential_report until COMPLETE, then
                                        get_credential_report; CSV columns as strings), null when the report
                                        has none (moto's has none), "RootVirtualMFADevice": the serial of the
                                        root's virtual MFA device (list_virtual_mfa_devices), null when none,
                                        "SupportRoles": role names of list_entities_for_policy on the
                                        AWS-managed AWSSupportAccess, "Tags": []}
iam_policy        PolicyName            iam.list_policies(Scope="Local"): customer-managed policies;
                                        + Document (get_policy_version of DefaultVersionId),
                                        + Tags (list_policy_tags)
iam_server_certificate  ServerCertificateName  iam.list_server_certificates (the metadata, with Expiration)
kms_key           KeyId                 kms.list_keys + describe_key (KeyMetadata);
                                        + KeyRotationEnabled (get_key_rotation_status, null where rotation
                                          does not apply), + Aliases (list_aliases names),
                                        + Tags (list_resource_tags, TagKey/TagValue)
cloudwatch_log_group  logGroupName      logs.describe_log_groups (kmsKeyId and retentionInDays absent when
                                        unset: not encrypted with a KMS key, never expires);
                                        + Tags (list_tags_for_resource of logGroupArn, a dict)
cloudtrail_trail  Name                  cloudtrail.describe_trails of the region, the trails whose home it is
                                        (a multi-region trail once, not as a shadow in every region);
                                        + IsLogging (get_trail_status), + Tags (list_tags),
                                        + S3BucketLogging ({"LoggingEnabled": ...} of get_bucket_logging of
                                          the trail's bucket, null when this account cannot read it)
                                        + EventSelectors, + AdvancedEventSelectors (get_event_selectors;
                                          [] when the trail has none of that kind)
                                        + MetricFilters (logs.describe_metric_filters of the trail's
                                          CloudWatch Logs log group, [] without one; each + Alarms:
                                          cloudwatch.describe_alarms_for_metric of its metric, each alarm
                                          + SubscribedTopics: its SNS actions with a confirmed subscription,
                                          sns.list_subscriptions_by_topic, + UnreadableTopics: those this
                                          account may not read; null when the group is unreadable)
network_acl       NetworkAclId          ec2.describe_network_acls
ebs_encryption_by_default  the account id   ec2.get_ebs_encryption_by_default; one per account-region:
                                        {"EbsEncryptionByDefault": bool, "Tags": []}
config_recorder   the account id        config.describe_configuration_recorders + _status; one per
                                        account-region: {"ConfigurationRecorders": [...],
                                        "ConfigurationRecordersStatus": [...], "Tags": []} (empty lists: none)
security_hub      the account id        securityhub.describe_hub; one per account-region: {"Hub": the
                                        answer, null when not enabled (InvalidAccessException), "Tags": []}
guardduty_detector  the account id      guardduty.list_detectors + get_detector; one per account-region:
                                        {"Detectors": [get_detector + DetectorId, ...], "Tags": []}
efs_file_system   FileSystemId          efs.describe_file_systems (Tags in the item); - SizeInBytes.Timestamp,
                                        the time of the answer
cloudtrail_account  the account id    region "global"; one per account: {"MultiRegionTrails": the
                                        multi-region trails of describe_trails(includeShadowTrails=True), home
                                        anywhere, each + IsLogging, + EventSelectors, + AdvancedEventSelectors
                                        (asked in its home region), "Tags": []}
access_analyzer   the account id        accessanalyzer.list_analyzers; one per account-region:
                                        {"Analyzers": [...], "Tags": []} (empty: no analyzer)
"""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from assets.aws.clients import AccountSession

GLOBAL_REGION = "global"
ROOT_USER = "<root_account>"  # the root user's row in the credential report
ROOT_MFA_DEVICE = "mfa/root-account-mfa-device"  # how a root virtual MFA device's serial ends
REPORT_POLLS = 10  # generate_credential_report calls before giving up on a report still being generated

Resource = tuple[str, str | None, dict[str, Any]]
Collector = Callable[[AccountSession, str], Iterator[Resource]]


@dataclass(frozen=True)
class ResourceType:
    """A resource type: its collector, and whether it is global (collected once per account)."""

    name: str
    collect: Collector
    is_global: bool = False


def normalise_tags(tags: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> list[dict[str, str]]:
    """``[{"Key", "Value"}]`` sorted by key, from Key/Value or TagKey/TagValue pairs or a ``{key: value}``."""
    if not tags:
        return []
    if isinstance(tags, Mapping):
        pairs = tags.items()
    else:
        pairs = ((tag.get("Key", tag.get("TagKey")), tag.get("Value", tag.get("TagValue"))) for tag in tags)
    return [{"Key": str(key), "Value": "" if value is None else str(value)} for key, value in sorted(pairs)]


def json_safe(value: Any) -> Any:
    """``value`` with datetimes as ISO-8601 UTC strings, ready for ``json.dumps``."""
    if isinstance(value, Mapping):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def document(shape: Mapping[str, Any], tags: Any, **added: Any) -> dict[str, Any]:
    """The API ``shape`` plus ``added`` keys and the uniform ``Tags`` list, JSON-safe."""
    doc = without_metadata(shape)
    doc.update(added)
    doc["Tags"] = normalise_tags(tags)
    return json_safe(doc)


def without_metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def items(client: BaseClient, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item under ``key`` across all pages (one call where the API has no paginator)."""
    if not client.can_paginate(operation):
        yield from getattr(client, operation)(**params).get(key, [])
        return
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def optional(call: Callable[..., dict[str, Any]], key: str, missing: Collection[str], **params: Any) -> Any:
    """``call(**params)[key]``, or None when AWS answers with one of the ``missing`` error codes."""
    try:
        return call(**params).get(key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in missing:
            return None
        raise


def ec2_collector(
    operation: str, key: str, id_field: str, arn_type: str, **params: Any
) -> Collector:
    """Collector for an EC2 describe call whose items carry their own ``Tags``."""

    def collect(session: AccountSession, region: str) -> Iterator[Resource]:
        for item in items(session.client("ec2", region), operation, key, **params):
            resource_id = item[id_field]
            # EBS snapshot ARNs are the one EC2 type without the account: arn:aws:ec2:region::snapshot/id.
            arn = session.arn("ec2", region, f"{arn_type}/{resource_id}", account=arn_type != "snapshot")
            yield resource_id, arn, document(item, item.get("Tags"))

    return collect


def ec2_instances(session: AccountSession, region: str) -> Iterator[Resource]:
    """Instances, each attached EBS mapping with its volume's ``Encrypted`` (the root volume's encryption
    is a property of the instance for CIS and Security Hub, and describe_instances does not give it)."""
    ec2 = session.client("ec2", region)
    instances = [i for r in items(ec2, "describe_instances", "Reservations") for i in r["Instances"]]
    mappings = [m for i in instances for m in i.get("BlockDeviceMappings", []) if "Ebs" in m]
    volume_ids = [m["Ebs"]["VolumeId"] for m in mappings]
    encrypted = {}
    for start in range(0, len(volume_ids), 200):
        # A filter, not VolumeIds: a volume deleted since describe_instances is left out, not an error.
        chunk = [{"Name": "volume-id", "Values": volume_ids[start : start + 200]}]
        for volume in items(ec2, "describe_volumes", "Volumes", Filters=chunk):
            encrypted[volume["VolumeId"]] = volume.get("Encrypted")
    for mapping in mappings:
        mapping["Ebs"]["Encrypted"] = encrypted.get(mapping["Ebs"]["VolumeId"])
    for instance in instances:
        resource_id = instance["InstanceId"]
        arn = session.arn("ec2", region, f"instance/{resource_id}")
        yield resource_id, arn, document(instance, instance.get("Tags"))


def s3_buckets(session: AccountSession, region: str) -> Iterator[Resource]:
    s3 = session.client("s3", region)
    partition = session.session.get_partition_for_region(region)
    for bucket in items(s3, "list_buckets", "Buckets", BucketRegion=region):
        name = bucket["Name"]
        doc = document(
            bucket,
            optional(s3.get_bucket_tagging, "TagSet", {"NoSuchTagSet"}, Bucket=name),
            BucketRegion=region,
            ServerSideEncryptionConfiguration=optional(
                s3.get_bucket_encryption,
                "ServerSideEncryptionConfiguration",
                {"ServerSideEncryptionConfigurationNotFoundError"},
                Bucket=name,
            ),
            # A bucket that never had versioning answers with no Status at all.
            Versioning=without_metadata(s3.get_bucket_versioning(Bucket=name)) or None,
            PublicAccessBlockConfiguration=optional(
                s3.get_public_access_block,
                "PublicAccessBlockConfiguration",
                {"NoSuchPublicAccessBlockConfiguration"},
                Bucket=name,
            ),
            LoggingEnabled=s3.get_bucket_logging(Bucket=name).get("LoggingEnabled"),
            Policy=optional(s3.get_bucket_policy, "Policy", {"NoSuchBucketPolicy"}, Bucket=name),
            Grants=s3.get_bucket_acl(Bucket=name).get("Grants", []),
        )
        yield name, f"arn:{partition}:s3:::{name}", doc


def rds_instances(session: AccountSession, region: str) -> Iterator[Resource]:
    for db in items(session.client("rds", region), "describe_db_instances", "DBInstances"):
        # LatestRestorableTime follows the clock (it is "a few minutes ago"): kept, it would make every
        # sync look like a change to every database.
        db.pop("LatestRestorableTime", None)
        yield db["DBInstanceIdentifier"], db["DBInstanceArn"], document(db, db.get("TagList"))


def iam_users(session: AccountSession, region: str) -> Iterator[Resource]:
    iam = session.client("iam", region)
    for user in items(iam, "list_users", "Users"):
        name = user["UserName"]
        access_keys = [
            dict(key, LastUsedDate=last_used(iam, key["AccessKeyId"]))
            for key in items(iam, "list_access_keys", "AccessKeyMetadata", UserName=name)
        ]
        doc = document(
            user,
            list(items(iam, "list_user_tags", "Tags", UserName=name)),
            MFADevices=list(items(iam, "list_mfa_devices", "MFADevices", UserName=name)),
            AccessKeys=access_keys,
            LoginProfile=optional(iam.get_login_profile, "LoginProfile", {"NoSuchEntity"}, UserName=name),
            AttachedPolicies=list(items(iam, "list_attached_user_policies", "AttachedPolicies", UserName=name)),
            PolicyNames=list(items(iam, "list_user_policies", "PolicyNames", UserName=name)),
        )
        yield name, user["Arn"], doc


def last_used(iam: BaseClient, access_key_id: str) -> datetime | None:
    return iam.get_access_key_last_used(AccessKeyId=access_key_id)["AccessKeyLastUsed"].get("LastUsedDate")


def iam_roles(session: AccountSession, region: str) -> Iterator[Resource]:
    iam = session.client("iam", region)
    for role in items(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        yield name, role["Arn"], document(role, list(items(iam, "list_role_tags", "Tags", RoleName=name)))


def iam_password_policy(session: AccountSession, region: str) -> Iterator[Resource]:
    """The account's one password policy; an account without one is a resource too (CIS judges its absence)."""
    iam = session.client("iam", region)
    policy = optional(iam.get_account_password_policy, "PasswordPolicy", {"NoSuchEntity"})
    yield session.account_id, None, document({"PasswordPolicy": policy}, None)


def iam_account(session: AccountSession, region: str) -> Iterator[Resource]:
    """The account's root user and support role, one document per account (CIS judges the account)."""
    iam = session.client("iam", region)
    summary = iam.get_account_summary()["SummaryMap"]
    root_devices = [
        device["SerialNumber"]
        for device in items(iam, "list_virtual_mfa_devices", "VirtualMFADevices")
        if device["SerialNumber"].endswith(f":{ROOT_MFA_DEVICE}")
    ]
    support = f"arn:{iam.meta.partition}:iam::aws:policy/AWSSupportAccess"
    roles = items(iam, "list_entities_for_policy", "PolicyRoles", PolicyArn=support, EntityFilter="Role")
    shape = {
        "AccountSummary": {key: summary.get(key) for key in ("AccountMFAEnabled", "AccountAccessKeysPresent")},
        "RootUser": next((row for row in credential_report(iam) if row["user"] == ROOT_USER), None),
        "RootVirtualMFADevice": root_devices[0] if root_devices else None,
        "SupportRoles": sorted(role["RoleName"] for role in roles),
    }
    yield session.account_id, None, document(shape, None)


def credential_report(iam: BaseClient) -> list[dict[str, str]]:
    """The rows of the account's credential report, generated first (AWS builds it in the background)."""
    for poll in range(REPORT_POLLS):
        if iam.generate_credential_report()["State"] == "COMPLETE":
            break
        time.sleep(0.2 * (poll + 1))  # a report takes seconds; AWS keeps one for four hours
    else:
        raise TimeoutError(f"the IAM credential report was still being generated after {REPORT_POLLS} polls")
    content = iam.get_credential_report()["Content"]
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def iam_policies(session: AccountSession, region: str) -> Iterator[Resource]:
    """Customer-managed policies with their default version's document (what they allow)."""
    iam = session.client("iam", region)
    for policy in items(iam, "list_policies", "Policies", Scope="Local"):
        arn = policy["Arn"]
        version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
        tags = list(items(iam, "list_policy_tags", "Tags", PolicyArn=arn))
        yield policy["PolicyName"], arn, document(policy, tags, Document=version["Document"])


def iam_server_certificates(session: AccountSession, region: str) -> Iterator[Resource]:
    iam = session.client("iam", region)
    for certificate in items(iam, "list_server_certificates", "ServerCertificateMetadataList"):
        yield certificate["ServerCertificateName"], certificate["Arn"], document(certificate, None)
def vpcs(session: AccountSession, region: str) -> Iterator[Resource]:
    """VPCs, each with its flow logs (CIS and Security Hub judge flow logging as a property of the VPC)."""
    ec2 = session.client("ec2", region)
    flow_logs = defaultdict(list)
    for flow_log in items(ec2, "describe_flow_logs", "FlowLogs"):
        flow_logs[flow_log.get("ResourceId")].append(flow_log)
    for vpc in items(ec2, "describe_vpcs", "Vpcs"):
        resource_id = vpc["VpcId"]
        arn = session.arn("ec2", region, f"vpc/{resource_id}")
        yield resource_id, arn, document(vpc, vpc.get("Tags"), FlowLogs=flow_logs[resource_id])


def ebs_encryption_by_default(session: AccountSession, region: str) -> Iterator[Resource]:
    """The region's EBS encryption-by-default switch: one setting per account-region, with no id of its own."""
    answer = session.client("ec2", region).get_ebs_encryption_by_default()
    yield session.account_id, None, document({"EbsEncryptionByDefault": answer["EbsEncryptionByDefault"]}, None)


def config_recorder(session: AccountSession, region: str) -> Iterator[Resource]:
    """The region's AWS Config recorders and their status; a region without one is a resource too."""
    config = session.client("config", region)
    recorders = config.describe_configuration_recorders().get("ConfigurationRecorders", [])
    statuses = config.describe_configuration_recorder_status().get("ConfigurationRecordersStatus", [])
    shape = {"ConfigurationRecorders": recorders, "ConfigurationRecordersStatus": statuses}
    yield session.account_id, None, document(shape, None)


def security_hub(session: AccountSession, region: str) -> Iterator[Resource]:
    """Whether Security Hub is enabled in the region: describe_hub answers InvalidAccessException when not."""
    securityhub = session.client("securityhub", region)
    try:
        hub = without_metadata(securityhub.describe_hub())
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "InvalidAccessException":
            raise
        hub = None
    yield session.account_id, None, document({"Hub": hub}, None)


def guardduty_detector(session: AccountSession, region: str) -> Iterator[Resource]:
    """The region's GuardDuty detectors (at most one per region), each with its status."""
    guardduty = session.client("guardduty", region)
    detectors = [
        without_metadata(guardduty.get_detector(DetectorId=detector_id)) | {"DetectorId": detector_id}
        for detector_id in items(guardduty, "list_detectors", "DetectorIds")
    ]
    yield session.account_id, None, document({"Detectors": detectors}, None)


def efs_file_systems(session: AccountSession, region: str) -> Iterator[Resource]:
    for file_system in items(session.client("efs", region), "describe_file_systems", "FileSystems"):
        # SizeInBytes.Timestamp is the time of the answer: it would make every sync a change
        size = file_system.get("SizeInBytes") or {}
        file_system["SizeInBytes"] = {key: value for key, value in size.items() if key != "Timestamp"}
        arn = file_system["FileSystemArn"]
        yield file_system["FileSystemId"], arn, document(file_system, file_system.get("Tags"))


def lambda_functions(session: AccountSession, region: str) -> Iterator[Resource]:
    client = session.client("lambda", region)
    for function in items(client, "list_functions", "Functions"):
        arn = function["FunctionArn"]
        yield function["FunctionName"], arn, document(function, client.list_tags(Resource=arn).get("Tags"))


def load_balancers(session: AccountSession, region: str) -> Iterator[Resource]:
    elbv2 = session.client("elbv2", region)
    balancers = list(items(elbv2, "describe_load_balancers", "LoadBalancers"))
    arns = [balancer["LoadBalancerArn"] for balancer in balancers]
    tags = {}
    for start in range(0, len(arns), 20):  # describe_tags takes at most 20 ARNs
        for description in elbv2.describe_tags(ResourceArns=arns[start : start + 20])["TagDescriptions"]:
            tags[description["ResourceArn"]] = description.get("Tags")
    for balancer in balancers:
        arn = balancer["LoadBalancerArn"]
        target_groups = [dict(group, Targets=targets(elbv2, group["TargetGroupArn"]))
                         for group in balancer_target_groups(elbv2, arn)]
        yield balancer["LoadBalancerName"], arn, document(balancer, tags.get(arn), TargetGroups=target_groups)


def balancer_target_groups(elbv2: BaseClient, balancer_arn: str) -> list[dict[str, Any]]:
    """The target groups a balancer routes to: none when it has no listener yet (moto answers that with
    TargetGroupNotFound)."""
    try:
        return list(items(elbv2, "describe_target_groups", "TargetGroups", LoadBalancerArn=balancer_arn))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "TargetGroupNotFound":
            return []
        raise


def targets(elbv2: BaseClient, target_group_arn: str) -> list[dict[str, Any]]:
    """A target group's registered targets with their health state, what the balancer routes to."""
    health = elbv2.describe_target_health(TargetGroupArn=target_group_arn)["TargetHealthDescriptions"]
    return [dict(item["Target"], State=item["TargetHealth"]["State"]) for item in health]


def kms_keys(session: AccountSession, region: str) -> Iterator[Resource]:
    kms = session.client("kms", region)
    aliases = defaultdict(list)
    for alias in items(kms, "list_aliases", "Aliases"):
        if "TargetKeyId" in alias:
            aliases[alias["TargetKeyId"]].append(alias["AliasName"])
    for key in items(kms, "list_keys", "Keys"):
        key_id = key["KeyId"]
        metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        doc = document(
            metadata,
            list(items(kms, "list_resource_tags", "Tags", KeyId=key_id)),
            # Rotation does not apply to asymmetric/HMAC keys nor to keys pending deletion or import.
            KeyRotationEnabled=optional(
                kms.get_key_rotation_status,
                "KeyRotationEnabled",
                {"UnsupportedOperationException", "KMSInvalidStateException"},
                KeyId=key_id,
            ),
            Aliases=sorted(aliases.get(key_id, [])),
        )
        yield key_id, metadata["Arn"], doc


def cloudwatch_log_groups(session: AccountSession, region: str) -> Iterator[Resource]:
    logs = session.client("logs", region)
    for group in items(logs, "describe_log_groups", "logGroups"):
        arn = group.get("logGroupArn") or group["arn"].removesuffix(":*")
        tags = logs.list_tags_for_resource(resourceArn=arn).get("tags")
        yield group["logGroupName"], arn, document(group, tags)


def cloudtrail_trails(session: AccountSession, region: str) -> Iterator[Resource]:
    cloudtrail, s3 = session.client("cloudtrail", region), session.client("s3", region)
    for trail in cloudtrail.describe_trails(includeShadowTrails=False)["trailList"]:
        if trail.get("HomeRegion", region) != region:
            continue
        arn = trail["TrailARN"]
        [tags] = cloudtrail.list_tags(ResourceIdList=[arn])["ResourceTagList"] or [{}]
        doc = document(
            trail,
            tags.get("TagsList"),
            IsLogging=cloudtrail.get_trail_status(Name=arn).get("IsLogging"),
            S3BucketLogging=bucket_logging(s3, trail.get("S3BucketName")),
            **event_selectors(cloudtrail, arn),
            MetricFilters=trail_metric_filters(session, trail.get("CloudWatchLogsLogGroupArn")),
        )
        yield trail["Name"], arn, doc


def bucket_logging(s3: BaseClient, bucket: str | None) -> dict[str, Any] | None:
    """A bucket's ``{"LoggingEnabled": ... or None}``; None when this account cannot read it (a trail often
    delivers to a central logging account's bucket)."""
    if not bucket:
        return None
    try:
        return {"LoggingEnabled": s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled")}
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"AccessDenied", "NoSuchBucket"}:
            return None
        raise


def event_selectors(cloudtrail: BaseClient, trail_arn: str) -> dict[str, list[dict[str, Any]]]:
    """What a trail records: ``EventSelectors`` or ``AdvancedEventSelectors`` (a trail uses one kind; AWS
    gives a new trail one classic selector for all management events, moto gives none)."""
    answer = cloudtrail.get_event_selectors(TrailName=trail_arn)
    return {key: answer.get(key) or [] for key in ("EventSelectors", "AdvancedEventSelectors")}


def cloudtrail_account(session: AccountSession, region: str) -> Iterator[Resource]:
    """The account's multi-region trails, wherever their home is, each with its status and event selectors:
    CIS asks whether at least one of them logs every region, which no single trail's document can say.
    describe_trails lists a multi-region trail in every region (a shadow trail outside its home)."""
    trails = []
    for trail in session.client("cloudtrail", region).describe_trails(includeShadowTrails=True)["trailList"]:
        if not trail.get("IsMultiRegionTrail"):
            continue
        home, arn = session.client("cloudtrail", trail["HomeRegion"]), trail["TrailARN"]
        trails.append(dict(trail, IsLogging=home.get_trail_status(Name=arn).get("IsLogging"),
                           **event_selectors(home, arn)))
    yield session.account_id, None, document({"MultiRegionTrails": trails}, None)


def access_analyzer(session: AccountSession, region: str) -> Iterator[Resource]:
    """The region's IAM Access Analyzer analyzers; a region without one is a resource too (CIS judges it)."""
    analyzers = list(items(session.client("accessanalyzer", region), "list_analyzers", "analyzers"))
    yield session.account_id, None, document({"Analyzers": analyzers}, None)
def trail_metric_filters(session: AccountSession, group_arn: str | None) -> list[dict[str, Any]] | None:
    """The metric filters on a trail's log group, each with the alarms on its metric (CIS section 4: a filter,
    an alarm and someone subscribed to it); [] without a log group, None when the group cannot be read."""
    if not group_arn:
        return []
    arn = group_arn.split(":")  # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    logs, cloudwatch = session.client("logs", arn[3]), session.client("cloudwatch", arn[3])
    try:
        filters = list(items(logs, "describe_metric_filters", "metricFilters", logGroupName=arn[6]))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _UNREADABLE_LOG_GROUP:
            return None
        raise
    subscribed = _SubscribedTopics(session)
    for metric_filter in filters:
        metrics = metric_filter.get("metricTransformations") or []
        alarms = [
            alarm
            for metric in metrics
            for alarm in cloudwatch.describe_alarms_for_metric(
                MetricName=metric["metricName"], Namespace=metric["metricNamespace"]
            ).get("MetricAlarms", [])
        ]
        metric_filter["Alarms"] = [
            {"AlarmName": a["AlarmName"], "AlarmActions": a.get("AlarmActions", []),
             "SubscribedTopics": [t for t in a.get("AlarmActions", []) if subscribed(t) is True],
             "UnreadableTopics": [t for t in a.get("AlarmActions", []) if subscribed(t) is None]}
            for a in alarms
        ]
    return json_safe(filters)


_UNREADABLE_LOG_GROUP = {"AccessDeniedException", "ResourceNotFoundException"}


class _SubscribedTopics:
    """Whether an alarm action is an SNS topic with at least one confirmed subscription (an unconfirmed one's
    SubscriptionArn is "PendingConfirmation"), each topic asked once; None for a topic this account may not
    read (another account's), False for one that no longer exists."""

    def __init__(self, session: AccountSession) -> None:
        self._session, self._answers = session, {}

    def __call__(self, action: str) -> bool | None:
        arn = action.split(":")  # arn:<partition>:sns:<region>:<account>:<topic>
        if len(arn) < 6 or arn[2] != "sns":
            return False
        if action not in self._answers:
            sns = self._session.client("sns", arn[3])
            try:
                subscriptions = list(items(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=action))
                self._answers[action] = any(s["SubscriptionArn"].startswith("arn:") for s in subscriptions)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code")
                if code not in {"AuthorizationError", "NotFound"}:
                    raise
                self._answers[action] = None if code == "AuthorizationError" else False
        return self._answers[action]


RESOURCE_TYPES: dict[str, ResourceType] = {
    resource_type.name: resource_type
    for resource_type in (
        ResourceType("ec2_instance", ec2_instances),
        ResourceType("ebs_volume", ec2_collector("describe_volumes", "Volumes", "VolumeId", "volume")),
        ResourceType(
            "ebs_snapshot",
            ec2_collector("describe_snapshots", "Snapshots", "SnapshotId", "snapshot", OwnerIds=["self"]),
        ),
        ResourceType(
            "elastic_ip", ec2_collector("describe_addresses", "Addresses", "AllocationId", "elastic-ip")
        ),
        ResourceType(
            "security_group",
            ec2_collector("describe_security_groups", "SecurityGroups", "GroupId", "security-group"),
        ),
        ResourceType("vpc", vpcs),
        ResourceType("subnet", ec2_collector("describe_subnets", "Subnets", "SubnetId", "subnet")),
        ResourceType("s3_bucket", s3_buckets),
        ResourceType("rds_instance", rds_instances),
        ResourceType("iam_user", iam_users, is_global=True),
        ResourceType("iam_role", iam_roles, is_global=True),
        ResourceType("iam_password_policy", iam_password_policy, is_global=True),
        ResourceType("iam_account", iam_account, is_global=True),
        ResourceType("iam_policy", iam_policies, is_global=True),
        ResourceType("iam_server_certificate", iam_server_certificates, is_global=True),
        ResourceType("lambda_function", lambda_functions),
        ResourceType("load_balancer", load_balancers),
        ResourceType("kms_key", kms_keys),
        ResourceType("cloudwatch_log_group", cloudwatch_log_groups),
        ResourceType("cloudtrail_trail", cloudtrail_trails),
        ResourceType(
            "network_acl", ec2_collector("describe_network_acls", "NetworkAcls", "NetworkAclId", "network-acl")
        ),
        ResourceType("ebs_encryption_by_default", ebs_encryption_by_default),
        ResourceType("config_recorder", config_recorder),
        ResourceType("security_hub", security_hub),
        ResourceType("guardduty_detector", guardduty_detector),
        ResourceType("efs_file_system", efs_file_systems),
        ResourceType("cloudtrail_account", cloudtrail_account, is_global=True),
        ResourceType("access_analyzer", access_analyzer),
    )
}
