"""A small AWS estate for inventory tests: 2 accounts x 2 regions seeded into a moto server with plain boto3.

The estate records what each inventory slice must hold: the resources created here plus the ones AWS (and
moto) create on their own: default VPCs, subnets and security groups, instance root volumes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import boto3
import pytest

from cloudforge.settings import AwsSettings
from demo.certificates import self_signed
from demo.root_user import set_root_user

ACCOUNTS = ("410000000001", "410000000002")  # distinct from the demo accounts other tests seed
REGIONS = ("us-east-1", "eu-west-1")
ROLE = "CloudForgeReadOnly"
TAGS = [{"Key": "team", "Value": "platform"}, {"Key": "env", "Value": "prod"}, {"Key": "Name", "Value": "cf"}]
SORTED_TAGS = sorted(TAGS, key=lambda tag: tag["Key"])
TEAM_WEB = [{"Key": "team", "Value": "web"}]
EMPTY_TYPES = ("rds_instance", "load_balancer", "lambda_function", "efs_file_system")  # seeded in one slice only


@dataclass
class Estate:
    endpoint: str
    # (account, region, resource_type) -> resource ids, for every slice a sync plans (empty ones too)
    slices: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    # (account, region, resource_type, resource_id) -> the normalised Tags its document must carry
    tags: dict[tuple[str, str, str, str], list[dict[str, str]]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # named ids the tests look at


@dataclass
class Seeder:
    """Creates resources in one (account, region) and writes down what the inventory must find."""

    estate: Estate
    session: boto3.Session
    account: str
    region: str

    def client(self, service: str):
        region = "us-east-1" if self.region == "global" else self.region
        return self.session.client(service, region_name=region, endpoint_url=self.estate.endpoint)

    def expect(self, resource_type: str, resource_id: str, tags: list[dict[str, str]] | None = None) -> str:
        self.estate.slices[(self.account, self.region, resource_type)].add(resource_id)
        self.estate.tags[(self.account, self.region, resource_type, resource_id)] = tags or []
        return resource_id

    def name(self, what: str, resource_id: str) -> str:
        self.estate.ids[f"{what} {self.account} {self.region}"] = resource_id
        return resource_id


def account_session(endpoint: str, account: str) -> boto3.Session:
    """A session inside ``account``: moto maps credentials from sts.assume_role to the role's account."""
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint)
    role = f"arn:aws:iam::{account}:role/seeder"
    credentials = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def where(name: str, value: str) -> list[dict]:
    return [{"Name": name, "Values": [value]}]


def tagged(kind: str, tags: list[dict[str, str]] = TAGS) -> list[dict]:
    return [{"ResourceType": kind, "Tags": tags}]


def seed_network_and_compute(seed: Seeder) -> list[str]:
    """A tagged VPC with two subnets, a security group, an instance, a volume, its snapshot and an
    untagged Elastic IP, besides the defaults; returns the new subnets."""
    ec2 = seed.client("ec2")
    for vpc in ec2.describe_vpcs(Filters=where("is-default", "true"))["Vpcs"]:
        seed.expect("vpc", vpc["VpcId"])
    for subnet in ec2.describe_subnets(Filters=where("default-for-az", "true"))["Subnets"]:
        seed.expect("subnet", subnet["SubnetId"])
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=tagged("vpc"))["Vpc"]["VpcId"]
    seed.name("vpc", seed.expect("vpc", vpc, SORTED_TAGS))
    for acl in ec2.describe_network_acls(Filters=where("default", "true"))["NetworkAcls"]:  # one per VPC
        seed.expect("network_acl", acl["NetworkAclId"])
    subnets = []
    for number, zone in ((1, "a"), (2, "b")):
        cidr, zone = f"10.1.{number}.0/24", seed.region + zone
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        subnets.append(seed.expect("subnet", subnet))
    # the default security groups of the default VPC and of the new one
    for group in ec2.describe_security_groups(Filters=where("group-name", "default"))["SecurityGroups"]:
        seed.expect("security_group", group["GroupId"])
    group = ec2.create_security_group(
        GroupName="cf-web", Description="web", VpcId=vpc, TagSpecifications=tagged("security-group")
    )
    seed.expect("security_group", group["GroupId"], SORTED_TAGS)

    instance = ec2.run_instances(
        ImageId="ami-12c6146b",
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        SubnetId=subnets[0],
        TagSpecifications=tagged("instance", TEAM_WEB),
    )["Instances"][0]
    seed.name("instance", seed.expect("ec2_instance", instance["InstanceId"], TEAM_WEB))
    for mapping in instance["BlockDeviceMappings"]:  # the root volume run_instances creates
        seed.expect("ebs_volume", mapping["Ebs"]["VolumeId"])
    volume = ec2.create_volume(
        AvailabilityZone=f"{seed.region}a", Size=10, TagSpecifications=tagged("volume")
    )
    seed.expect("ebs_volume", volume["VolumeId"], SORTED_TAGS)
    snapshot = ec2.create_snapshot(VolumeId=volume["VolumeId"], TagSpecifications=tagged("snapshot"))
    seed.name("snapshot", seed.expect("ebs_snapshot", snapshot["SnapshotId"], SORTED_TAGS))
    seed.expect("elastic_ip", ec2.allocate_address(Domain="vpc")["AllocationId"])
    return subnets


def seed_bucket(seed: Seeder, *, configured: bool) -> None:
    """A bucket in the region; ``configured`` adds tags, encryption, versioning, a public access block, a
    policy (TLS only; S3 may deliver access logs) and access logging into itself."""
    s3 = seed.client("s3")
    bucket = seed.name("bucket", f"cf-{seed.account}-{seed.region}")
    location = (
        {}
        if seed.region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": seed.region}}
    )
    s3.create_bucket(Bucket=bucket, **location)
    seed.expect("s3_bucket", bucket, SORTED_TAGS if configured else [])
    if not configured:
        return
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": TAGS})
    encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=encryption)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    blocks = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=dict.fromkeys(blocks, True))
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(bucket_policy(bucket)))
    logging = {"TargetBucket": bucket, "TargetPrefix": "access/"}
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": logging})


def bucket_policy(bucket: str) -> dict:
    """Let S3's log delivery write under access/ (first: moto's PutBucketLogging check fails on a statement
    with Principal "*" before it), deny plain HTTP."""
    arn = f"arn:aws:s3:::{bucket}"
    delivery = {"Service": "logging.s3.amazonaws.com"}
    logs = f"{arn}/access/*"
    logging = {"Effect": "Allow", "Principal": delivery, "Action": "s3:PutObject", "Resource": logs}
    insecure = {"Bool": {"aws:SecureTransport": "false"}}
    tls_only = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": insecure}
    return {"Version": "2012-10-17", "Statement": [logging, tls_only | {"Resource": [arn, f"{arn}/*"]}]}


def seed_key(seed: Seeder, *, rotated: bool) -> None:
    kms = seed.client("kms")
    key = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "security"}])["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/cf-{seed.region}", TargetKeyId=key)
    if rotated:
        kms.enable_key_rotation(KeyId=key)
    seed.name("key", seed.expect("kms_key", key, [{"Key": "team", "Value": "security"}]))


def seed_log_group(seed: Seeder, *, configured: bool) -> None:
    """A log group: encrypted with the region's key and kept 400 days, tagged (configured), or bare."""
    logs, name = seed.client("logs"), f"/cf/{seed.region}"
    if configured:
        key = seed.client("kms").describe_key(KeyId=seed.estate.ids[f"key {seed.account} {seed.region}"])
        logs.create_log_group(logGroupName=name, kmsKeyId=key["KeyMetadata"]["Arn"], tags={"team": "web"})
        logs.put_retention_policy(logGroupName=name, retentionInDays=400)
    else:
        logs.create_log_group(logGroupName=name)
    seed.expect("cloudwatch_log_group", name, TEAM_WEB if configured else [])


def seed_trail(seed: Seeder, *, configured: bool) -> None:
    """A trail into the region's bucket: multi-region, validated, KMS-encrypted, logging and tagged
    (configured; its bucket logs access), or a bare single-region one that is not logging."""
    cloudtrail, name = seed.client("cloudtrail"), f"cf-trail-{seed.region}"
    settings = {}
    if configured:
        key = seed.client("kms").describe_key(KeyId=seed.estate.ids[f"key {seed.account} {seed.region}"])
        settings = {"IsMultiRegionTrail": True, "EnableLogFileValidation": True, "TagsList": TEAM_WEB,
                    "KmsKeyId": key["KeyMetadata"]["Arn"], **seed_trail_monitoring(seed)}
    cloudtrail.create_trail(Name=name, S3BucketName=seed.estate.ids[f"bucket {seed.account} {seed.region}"],
                            **settings)
    if configured:
        cloudtrail.start_logging(Name=name)
        select_trail_events(cloudtrail, name)
    seed.expect("cloudtrail_trail", name, TEAM_WEB if configured else [])


S3_OBJECT_READS = [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                   {"Field": "readOnly", "Equals": ["true"]}]
TRAIL_EVENTS = [{"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
                {"Name": "s3 reads", "FieldSelectors": S3_OBJECT_READS}]


def select_trail_events(cloudtrail, name: str) -> None:
    """Advanced selectors on the configured trail: all management events and S3 object reads of every bucket."""
    cloudtrail.put_event_selectors(TrailName=name, AdvancedEventSelectors=TRAIL_EVENTS)
ROOT_USAGE = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'


def seed_trail_monitoring(seed: Seeder) -> dict[str, str]:
    """CIS section 4 on the region's log group: a root-usage filter whose alarms notify a topic with a
    subscription and one without, a filter no alarm watches, an alarm on another metric; returns the trail's
    CloudWatch Logs settings."""
    logs, cloudwatch, sns = seed.client("logs"), seed.client("cloudwatch"), seed.client("sns")
    group = f"/cf/{seed.region}"
    for name, pattern in (("root-usage", ROOT_USAGE), ("unwatched", "ERROR")):
        metric = {"metricName": name, "metricNamespace": "CIS", "metricValue": "1"}
        logs.put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern,
                               metricTransformations=[metric])
    topics = {name: sns.create_topic(Name=f"cf-{name}")["TopicArn"] for name in ("security", "nobody")}
    queue = f"arn:aws:sqs:{seed.region}:{seed.account}:alerts"
    sns.subscribe(TopicArn=topics["security"], Protocol="sqs", Endpoint=queue)
    alarm = {"ComparisonOperator": "GreaterThanOrEqualToThreshold", "EvaluationPeriods": 1, "Period": 300,
             "Statistic": "Sum", "Threshold": 1.0, "Namespace": "CIS"}
    for name, metric, topic in (("root-paged", "root-usage", "security"), ("root-quiet", "root-usage", "nobody"),
                                ("other", "other-metric", "security")):
        cloudwatch.put_metric_alarm(AlarmName=name, MetricName=metric, AlarmActions=[topics[topic]], **alarm)
    return {"CloudWatchLogsLogGroupArn": f"arn:aws:logs:{seed.region}:{seed.account}:log-group:{group}:*",
            "CloudWatchLogsRoleArn": f"arn:aws:iam::{seed.account}:role/cf-trail-logs"}


def seed_security(seed: Seeder, *, on: bool) -> None:
    """The region's settings (one document each, whatever their state); ``on``: EBS encryption by default,
    a started Config recorder, Security Hub and GuardDuty, plus a flow log on the new VPC, a custom network
    ACL and an encrypted EFS file system. Run last: encryption by default would encrypt later volumes."""
    for kind in ("ebs_encryption_by_default", "config_recorder", "security_hub", "guardduty_detector",
                 "access_analyzer"):
        seed.expect(kind, seed.account)
    if not on:
        return
    ec2, config = seed.client("ec2"), seed.client("config")
    vpc = seed.estate.ids[f"vpc {seed.account} {seed.region}"]
    ec2.enable_ebs_encryption_by_default()
    recorder = {"name": "default", "roleARN": f"arn:aws:iam::{seed.account}:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}
    config.put_configuration_recorder(ConfigurationRecorder=recorder)
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "cf-config"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    seed.client("securityhub").enable_security_hub()
    seed.client("accessanalyzer").create_analyzer(analyzerName="cf-external", type="ACCOUNT")  # demo.access_analyzer
    seed.name("detector", seed.client("guardduty").create_detector(Enable=True)["DetectorId"])
    seed.name("flow log", ec2.create_flow_logs(
        ResourceIds=[vpc], ResourceType="VPC", TrafficType="REJECT", LogDestinationType="cloud-watch-logs",
        LogGroupName="cf-flow", DeliverLogsPermissionArn=f"arn:aws:iam::{seed.account}:role/flow",
    )["FlowLogIds"][0])
    acl = ec2.create_network_acl(VpcId=vpc, TagSpecifications=tagged("network-acl"))["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
    seed.name("acl", seed.expect("network_acl", acl, SORTED_TAGS))
    file_system = seed.client("efs").create_file_system(CreationToken="cf", Encrypted=True, Tags=TAGS)
    seed.name("file system", seed.expect("efs_file_system", file_system["FileSystemId"], SORTED_TAGS))


def seed_services(seed: Seeder, subnets: list[str], function_role: str) -> None:
    """A database, a load balancer routing to the region's instance and a function (tags as a dict, the Lambda
    way)."""
    seed.client("rds").create_db_instance(
        DBInstanceIdentifier="cf-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="cf",
        MasterUserPassword="not-a-secret-1",
        Tags=TAGS,
    )
    seed.expect("rds_instance", "cf-db", SORTED_TAGS)
    elbv2 = seed.client("elbv2")
    elbv2.create_load_balancer(Name="cf-web", Subnets=subnets, Tags=TAGS)
    seed.expect("load_balancer", "cf-web", SORTED_TAGS)
    vpc = seed.client("ec2").describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    group = elbv2.create_target_group(Name="cf-web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")
    group_arn = group["TargetGroups"][0]["TargetGroupArn"]
    instance = seed.estate.ids[f"instance {seed.account} {seed.region}"]
    elbv2.register_targets(TargetGroupArn=group_arn, Targets=[{"Id": instance}])
    balancer_arn = elbv2.describe_load_balancers(Names=["cf-web"])["LoadBalancers"][0]["LoadBalancerArn"]
    forward = [{"Type": "forward", "TargetGroupArn": group_arn}]
    elbv2.create_listener(LoadBalancerArn=balancer_arn, Protocol="HTTP", Port=80, DefaultActions=forward)
    seed.client("lambda").create_function(
        FunctionName="cf-fn",
        Runtime="python3.12",
        Role=function_role,
        Handler="app.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        Tags={"team": "web", "env": "prod"},
    )
    seed.expect(
        "lambda_function", "cf-fn", [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}]
    )


def seed_iam(seed: Seeder, *, rich: bool) -> str:
    """The rich account gets a fully equipped user, a bare user and a tagged role; returns a role ARN."""
    iam = seed.client("iam")
    seed.expect("iam_password_policy", seed.account)  # every account has one document, policy set or not
    seed.expect("iam_account", seed.account)  # and one of its root user and support role
    if not rich:
        seed.expect("iam_role", "cf-audit")
        return iam.create_role(RoleName="cf-audit", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    role = iam.create_role(RoleName="cf-app", AssumeRolePolicyDocument="{}", Tags=TAGS)["Role"]["Arn"]
    seed.expect("iam_role", "cf-app", SORTED_TAGS)
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24, RequireSymbols=True)
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "platform"}])
    iam.create_login_profile(UserName="alice", Password="not-a-secret-1")
    seed.estate.ids["alice key"] = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="alice", SerialNumber=device, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    seed.estate.ids["alice mfa"] = device
    seed.expect("iam_user", "alice", [{"Key": "team", "Value": "platform"}])
    iam.create_user(UserName="bob")
    seed.expect("iam_user", "bob")
    seed_iam_governance(seed, iam)
    return role


def seed_iam_governance(seed: Seeder, iam) -> None:
    """What CIS section 1 judges: alice's own policies, the root user (virtual MFA device, access keys), a
    support role, and a server certificate."""
    admin = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    policy = iam.create_policy(PolicyName="cf-admin", PolicyDocument=admin, Tags=TAGS)["Policy"]
    seed.expect("iam_policy", "cf-admin", SORTED_TAGS)
    iam.attach_user_policy(UserName="alice", PolicyArn=policy["Arn"])
    iam.put_user_policy(UserName="alice", PolicyName="cf-inline", PolicyDocument=admin)
    iam.attach_role_policy(RoleName="cf-app", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="root-account-mfa-device")
    set_root_user(seed.account, mfa=True, access_keys=True)
    body, key = self_signed("cf.example.com", datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    iam.upload_server_certificate(ServerCertificateName="cf-web", CertificateBody=body, PrivateKey=key)
    seed.expect("iam_server_certificate", "cf-web")


def seed_estate(endpoint: str) -> Estate:
    """Account 1 is the rich one (every type, in its first region); account 2 has the basics everywhere."""
    estate = Estate(endpoint)
    for account in ACCOUNTS:
        session = account_session(endpoint, account)
        rich = account == ACCOUNTS[0]
        role = seed_iam(Seeder(estate, session, account, "global"), rich=rich)
        Seeder(estate, session, account, "global").expect("cloudtrail_account", account)  # its trails, seeded below
        for region in REGIONS:
            seed = Seeder(estate, session, account, region)
            subnets = seed_network_and_compute(seed)
            seed_bucket(seed, configured=rich and region == REGIONS[0])
            seed_key(seed, rotated=rich and region == REGIONS[0])
            seed_log_group(seed, configured=rich and region == REGIONS[0])
            seed_trail(seed, configured=rich and region == REGIONS[0])
            if rich and region == REGIONS[0]:
                seed_services(seed, subnets, role)
            seed_security(seed, on=rich and region == REGIONS[0])
            for resource_type in EMPTY_TYPES:  # a sync plans these slices even where they hold nothing
                estate.slices[(account, region, resource_type)] |= set()
        for resource_type in ("iam_user", "iam_policy", "iam_server_certificate"):  # empty in the plain account
            estate.slices[(account, "global", resource_type)] |= set()
    return estate


def credentials(env: pytest.MonkeyPatch) -> None:
    """Dummy keys for boto3's default chain (moto accepts any), and no user config from this machine."""
    env.setenv("AWS_ACCESS_KEY_ID", "testing")
    env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    env.delenv("AWS_SESSION_TOKEN", raising=False)
    env.delenv("AWS_PROFILE", raising=False)
    env.setenv("AWS_CONFIG_FILE", "/nonexistent")
    env.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    env.setenv("AWS_EC2_METADATA_DISABLED", "true")


def inventory_settings(endpoint: str, **aws: object) -> AwsSettings:
    """AWS settings for the two test accounts, reached through their read role at ``endpoint``."""
    accounts = [{"id": account, "role_arn": f"arn:aws:iam::{account}:role/{ROLE}"} for account in ACCOUNTS]
    aws = {
        "mode": "demo",
        "regions": list(REGIONS),
        "accounts": accounts,
        "endpoint_url": endpoint,
        "max_workers": 4,
        "max_attempts": 2,
        "timeout_seconds": 10,
        **aws,
    }
    return AwsSettings.model_validate(aws)
