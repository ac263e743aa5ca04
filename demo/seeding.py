"""Seeding: make a moto server running in this process hold exactly the demo estate, through real boto3 calls.

Why in-process: moto stamps every creation time with "now", but the estate needs old things (access keys
older than 90 days, year-old snapshots, long-running instances). After creating a resource through the API,
``seed_estate`` backdates it in moto's in-process backends (``demo.backdating``), and the API then reports
the old time. So the server must run in the process that seeds it: the embedded-cloud process
(``demo.cloud``), or the test process for tests.

``start_moto_server`` starts such a server, without moto's public AMI catalogue (it would add ~1,300
snapshots per region) but with AWS's managed IAM policies (a role can then be given AWSSupportAccess, as in
AWS), and ``seed_estate`` accepts only servers it started. Seeding first discards what the
server holds in the estate's accounts, then creates one resource at a time with moto's random generator
seeded from the estate seed, so a freshly started cloud process gets the same resource IDs every time.
Credentials are moto's dummy ones, passed as boto3 session arguments only.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from cloudforge.clock import Clock
from cloudforge.settings import READ_ROLE_NAME
from demo.access_analyzer import ACCESS_ANALYZER, ServiceRouter
from demo.backdating import backdate
from demo.moto_gaps import report_performance_insights
from demo.certificates import self_signed
from demo.cis_alarms import CIS_METRIC_FILTERS
from demo.compliance import INSTANCE_PROFILE
from demo.estate import GLOBAL_REGION, REGION_SETTINGS, ROOT_DEVICE, WORLD, Estate, ResourceSpec
from demo.health import seed_target_group
from demo.root_user import set_root_user

DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
IMAGE_ID = "ami-0c0ffee0c0ffee000"  # any id: moto does not validate images unless asked to
DB_PASSWORD = "demo-password-not-secret"  # moto stores it; nothing real is protected by it
CONSOLE_PASSWORD = "Demo-console-password-not-secret-1"  # meets every demo account's password policy
FLOW_LOG_GROUP = "/cloudforge/demo/vpc-flow-logs"  # not created: AWS, like moto, accepts it and fails delivery
TRAIL_ALARM_TOPIC = "cloudforge-demo-security-alarms"  # the SNS topic (and the queue subscribed to it)
TRAIL_ALARM_NAMESPACE = "CISBenchmark"
CONFIG_BUCKET = "cloudforge-demo-config"  # not created: moto does not check the delivery channel's bucket

# (account_id, region, resource_type, name) -> (resource_id, ARN), for the resources seeding creates
ResourceIds = dict[tuple[str, str, str, str], tuple[str, str]]

_IN_THIS_PROCESS: set[str] = set()  # endpoints of the moto servers start_moto_server started here


def start_moto_server(clock: Clock = Clock()) -> tuple[Any, str]:
    """Start moto in this process on a free loopback port; return (server, endpoint URL).

    ``server.stop()`` ends it. It runs without moto's public AMI catalogue, so it holds only what is seeded,
    and with AWS's managed IAM policies, which AWS has in every account. Requests signed for IAM Access
    Analyzer, which moto lacks, are answered by ``demo.access_analyzer`` (its analyzers dated by ``clock``).
    """
    os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    ACCESS_ANALYZER.clock = clock
    server = _cloud_server_class()(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    _IN_THIS_PROCESS.add(endpoint_url)
    return server, endpoint_url


def _cloud_server_class() -> type:
    """moto's threaded server answering Access Analyzer itself (``demo.access_analyzer``): moto has none."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import make_server

    class CloudServer(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = ServiceRouter(DomainDispatcherApplication(create_backend_app), ACCESS_ANALYZER)
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    return CloudServer


def seed_estate(estate: Estate, endpoint_url: str, now: datetime) -> ResourceIds:
    """Make the moto server at ``endpoint_url`` (running in this process) hold exactly ``estate``.

    What the server held in the estate's accounts is discarded first; other accounts are left alone.
    Accounts are entered through ``sts.assume_role`` into ``arn:aws:iam::<account>:role/CloudForgeReadOnly``
    (moto maps the assumed-role credentials to that account). Ages count back from ``now``.
    Returns the (resource_id, ARN) of every resource seeding created, as the inventory will report them,
    since moto assigns the ids (the demo billing names resources by them).
    """
    import boto3
    import requests

    if endpoint_url not in _IN_THIS_PROCESS:
        raise RuntimeError(
            f"the moto server at {endpoint_url} was not started in this process by start_moto_server(): "
            "seed_estate backdates resources in moto's in-process backends, and needs moto without its "
            "public AMI catalogue"
        )
    accounts = list(dict.fromkeys(r.account_id for r in estate.resources))
    _forget_accounts(accounts)
    requests.post(f"{endpoint_url}/moto-api/seed", params={"a": estate.seed}, timeout=30).raise_for_status()
    session = boto3.Session(region_name="us-east-1")
    identities: ResourceIds = {}
    for account_id in accounts:
        specs = [r for r in estate.resources if r.account_id == account_id]
        account = _Account(session, account_id, endpoint_url, specs, now)
        for spec in specs:
            if spec.managed_by == "aws":
                _settle_aws_resource(account, spec)
                continue
            resource_id = _CREATE[spec.resource_type](account, spec)
            account.ids[(spec.region, spec.resource_type, spec.name)] = resource_id
            identities[(*spec.key, spec.name)] = _identity(spec, resource_id)
            if spec.age_days is not None:
                backdate(spec, resource_id, now)
    seed_target_group(estate, identities, lambda account_id, region: account_client(endpoint_url, account_id,
                                                                                    "elbv2", region))
    return identities


def account_client(endpoint_url: str, account_id: str, service: str, region: str, session: Any = None) -> Any:
    """A boto3 client acting in ``account_id`` of the moto server, entered as seeding enters it (through
    ``session`` when given: sharing one saves loading the service models again)."""
    import boto3

    session = session or boto3.Session(region_name="us-east-1")
    return _Account(session, account_id, endpoint_url, []).client(service, region)


class _Account:
    """Boto3 clients for one account, reached by assuming the read role, and the IDs created so far."""

    def __init__(
        self, session: Any, account_id: str, endpoint_url: str, specs: list[ResourceSpec], now: datetime | None = None
    ) -> None:
        self.session = session  # shared, so service models load once
        self.now = now  # when seeding happens: validity periods count from it
        self.account_id = account_id
        self.endpoint_url = endpoint_url
        credentials = session.client("sts", endpoint_url=endpoint_url, **DUMMY_CREDENTIALS).assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/{READ_ROLE_NAME}", RoleSessionName="cloudforge-seed"
        )["Credentials"]
        self.credentials = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
        self._clients: dict[tuple[str, str], Any] = {}
        self.ids: dict[tuple[str, str, str], str] = {}  # (region, resource_type, name) -> AWS id
        self.has_instance_profile = False
        self.root_volumes = {  # (region, instance name) -> its root volume
            (s.region, s.attributes["attached_to"]): s
            for s in specs
            if s.resource_type == "ebs_volume" and s.attributes["device"] == ROOT_DEVICE
        }

    def client(self, service: str, region: str) -> Any:
        region = "us-east-1" if region == GLOBAL_REGION else region
        if (service, region) not in self._clients:
            self._clients[(service, region)] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint_url, **self.credentials
            )
        return self._clients[(service, region)]

    def role_arn(self, name: str) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{name}"

    def instance_profile(self) -> str:
        """The account's demo instance profile (without a role: IAM allows it), created on first use."""
        if not self.has_instance_profile:
            self.client("iam", GLOBAL_REGION).create_instance_profile(InstanceProfileName=INSTANCE_PROFILE)
            self.has_instance_profile = True
        return INSTANCE_PROFILE

    def id_of(self, spec: ResourceSpec, resource_type: str, name: str) -> str:
        return self.ids[(spec.region, resource_type, name)]


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _tag_specs(resource_type: str, tags: dict[str, str]) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": _tag_list(tags)}] if tags else []


def _create_vpc(account: _Account, spec: ResourceSpec) -> str:
    ec2 = account.client("ec2", spec.region)
    vpc_id = ec2.create_vpc(
        CidrBlock=spec.attributes["cidr_block"], TagSpecifications=_tag_specs("vpc", spec.raw_tags)
    )["Vpc"]["VpcId"]
    if spec.attributes["flow_logs"]:
        ec2.create_flow_logs(
            ResourceIds=[vpc_id],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="cloud-watch-logs",
            LogGroupName=FLOW_LOG_GROUP,
            DeliverLogsPermissionArn=account.role_arn("cloudforge-demo-flow-logs"),
        )
    return vpc_id


def _create_network_acl(account: _Account, spec: ResourceSpec) -> str:
    ec2 = account.client("ec2", spec.region)
    acl_id = ec2.create_network_acl(
        VpcId=account.id_of(spec, "vpc", spec.attributes["vpc"]),
        TagSpecifications=_tag_specs("network-acl", spec.raw_tags),
    )["NetworkAcl"]["NetworkAclId"]
    for number, action, protocol, from_port, to_port, cidr in spec.attributes["ingress"]:
        ports = {} if protocol == "-1" else {"PortRange": {"From": from_port, "To": to_port}}
        ec2.create_network_acl_entry(
            NetworkAclId=acl_id, RuleNumber=number, Protocol=protocol, RuleAction=action, Egress=False,
            CidrBlock=cidr, **ports,
        )
    return acl_id


def _set_ebs_encryption_by_default(account: _Account, spec: ResourceSpec) -> str:
    """Seeded after the account's volumes (the estate lists settings last), so they keep their encryption."""
    if spec.attributes["enabled"]:
        account.client("ec2", spec.region).enable_ebs_encryption_by_default()
    return spec.account_id


def _create_config_recorder(account: _Account, spec: ResourceSpec) -> str:
    """A recorder of all types or of two, started or not; or none."""
    kind = spec.attributes["recorder"]
    if kind is not None:
        config = account.client("config", spec.region)
        group = {"allSupported": True, "includeGlobalResourceTypes": True}
        if kind == "partial":
            group = {"allSupported": False, "includeGlobalResourceTypes": False,
                     "resourceTypes": ["AWS::EC2::Instance", "AWS::S3::Bucket"]}
        config.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": account.role_arn("cloudforge-demo-config"), "recordingGroup": group})
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": CONFIG_BUCKET})
        if kind != "stopped":
            config.start_configuration_recorder(ConfigurationRecorderName="default")
    return spec.account_id


def _enable_security_hub(account: _Account, spec: ResourceSpec) -> str:
    if spec.attributes["enabled"]:
        account.client("securityhub", spec.region).enable_security_hub(EnableDefaultStandards=False)
    return spec.account_id


def _create_analyzer(account: _Account, spec: ResourceSpec) -> str:
    if kind := spec.attributes["analyzer"]:
        analyzer = account.client("accessanalyzer", spec.region)
        analyzer.create_analyzer(analyzerName=f"cloudforge-{kind.lower().replace('_', '-')}", type=kind)
    return spec.account_id


def _create_detector(account: _Account, spec: ResourceSpec) -> str:
    detector = spec.attributes["detector"]
    if detector is not None:
        account.client("guardduty", spec.region).create_detector(Enable=detector == "enabled")
    return spec.account_id


def _create_file_system(account: _Account, spec: ResourceSpec) -> str:
    return account.client("efs", spec.region).create_file_system(
        CreationToken=spec.name,
        Encrypted=spec.attributes["encrypted"],
        Tags=_tag_list({"Name": spec.name} | spec.raw_tags),
    )["FileSystemId"]


def _create_subnet(account: _Account, spec: ResourceSpec) -> str:
    return account.client("ec2", spec.region).create_subnet(
        VpcId=account.id_of(spec, "vpc", spec.attributes["vpc"]),
        CidrBlock=spec.attributes["cidr_block"],
        AvailabilityZone=spec.attributes["availability_zone"],
        TagSpecifications=_tag_specs("subnet", spec.raw_tags),
    )["Subnet"]["SubnetId"]


def _create_security_group(account: _Account, spec: ResourceSpec) -> str:
    ec2 = account.client("ec2", spec.region)
    group_id = ec2.create_security_group(
        GroupName=spec.name,
        Description=f"{spec.name} (CloudForge demo)",
        VpcId=account.id_of(spec, "vpc", spec.attributes["vpc"]),
        TagSpecifications=_tag_specs("security-group", spec.raw_tags),
    )["GroupId"]
    permissions = [
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}
        for port, cidr in spec.attributes["ingress"]
    ]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)
    if not spec.attributes["egress_open"]:
        everything = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": WORLD}]}]
        https = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": WORLD}]}]
        ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=everything)
        ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=https)
    return group_id


def _create_instance(account: _Account, spec: ResourceSpec) -> str:
    """Launch with the root volume the estate describes for it (same tags), and stop it if it is stopped."""
    ec2 = account.client("ec2", spec.region)
    root = account.root_volumes[(spec.region, spec.name)]
    with_profile = spec.attributes["instance_profile"]
    profile = {"IamInstanceProfile": {"Name": account.instance_profile()}} if with_profile else {}
    instance = ec2.run_instances(
        ImageId=IMAGE_ID,
        MinCount=1,
        MaxCount=1,
        InstanceType=spec.attributes["instance_type"],
        SubnetId=account.id_of(spec, "subnet", spec.attributes["subnet"]),
        SecurityGroupIds=[account.id_of(spec, "security_group", spec.attributes["security_group"])],
        BlockDeviceMappings=[
            {
                "DeviceName": ROOT_DEVICE,
                "Ebs": {
                    "VolumeSize": root.attributes["size_gib"],
                    "VolumeType": root.attributes["volume_type"],
                    "Encrypted": root.attributes["encrypted"],
                },
            }
        ],
        TagSpecifications=_tag_specs("instance", spec.raw_tags) + _tag_specs("volume", root.raw_tags),
        Monitoring={"Enabled": spec.attributes["detailed_monitoring"]},
        **profile,
    )["Instances"][0]
    mappings = {m["DeviceName"]: m["Ebs"]["VolumeId"] for m in instance["BlockDeviceMappings"]}
    account.ids[(root.region, "ebs_volume", root.name)] = mappings[ROOT_DEVICE]
    if spec.attributes["state"] == "stopped":
        ec2.stop_instances(InstanceIds=[instance["InstanceId"]])
    return instance["InstanceId"]


def _create_volume(account: _Account, spec: ResourceSpec) -> str:
    """Create a data volume (attached if the estate says so); a root volume was made with its instance."""
    if spec.attributes["device"] == ROOT_DEVICE:
        return account.ids[(spec.region, "ebs_volume", spec.name)]
    ec2 = account.client("ec2", spec.region)
    volume_id = ec2.create_volume(
        AvailabilityZone=spec.attributes["availability_zone"],
        Size=spec.attributes["size_gib"],
        VolumeType=spec.attributes["volume_type"],
        Encrypted=spec.attributes["encrypted"],
        TagSpecifications=_tag_specs("volume", spec.raw_tags),
    )["VolumeId"]
    if spec.attributes["attached_to"]:
        instance_id = account.id_of(spec, "ec2_instance", spec.attributes["attached_to"])
        ec2.attach_volume(VolumeId=volume_id, InstanceId=instance_id, Device=spec.attributes["device"])
    return volume_id


def _create_snapshot(account: _Account, spec: ResourceSpec) -> str:
    return account.client("ec2", spec.region).create_snapshot(
        VolumeId=account.id_of(spec, "ebs_volume", spec.attributes["volume"]),
        Description=spec.name,
        TagSpecifications=_tag_specs("snapshot", spec.raw_tags),
    )["SnapshotId"]


def _create_elastic_ip(account: _Account, spec: ResourceSpec) -> str:
    ec2 = account.client("ec2", spec.region)
    tags = _tag_specs("elastic-ip", spec.raw_tags)
    allocation_id = ec2.allocate_address(Domain="vpc", TagSpecifications=tags)["AllocationId"]
    if spec.attributes["associated_with"]:
        instance_id = account.id_of(spec, "ec2_instance", spec.attributes["associated_with"])
        ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)
    return allocation_id


def _create_bucket(account: _Account, spec: ResourceSpec) -> str:
    s3 = account.client("s3", spec.region)
    if spec.region == "us-east-1":  # the one region S3 refuses as a location constraint
        s3.create_bucket(Bucket=spec.name)
    else:
        s3.create_bucket(Bucket=spec.name, CreateBucketConfiguration={"LocationConstraint": spec.region})
    if spec.raw_tags:
        s3.put_bucket_tagging(Bucket=spec.name, Tagging={"TagSet": _tag_list(spec.raw_tags)})
    if spec.attributes["encryption"]:
        rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": spec.attributes["encryption"]}}
        s3.put_bucket_encryption(Bucket=spec.name, ServerSideEncryptionConfiguration={"Rules": [rule]})
    if spec.attributes["versioning"]:
        s3.put_bucket_versioning(Bucket=spec.name, VersioningConfiguration={"Status": "Enabled"})
    if spec.attributes["public_access_block"]:
        blocks = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
        configuration = dict.fromkeys(blocks, True)
        s3.put_public_access_block(Bucket=spec.name, PublicAccessBlockConfiguration=configuration)
    _secure_bucket(s3, spec)
    return spec.name


def _secure_bucket(s3: Any, spec: ResourceSpec) -> None:
    """The bucket's access logging, policy and ACL (``demo.compliance``)."""
    a, arn = spec.attributes, f"arn:aws:s3:::{spec.name}"
    statements = []
    # S3 delivers the logs under the bucket's policy; that statement comes first, as moto's PutBucketLogging
    # check fails on a statement with Principal "*" before it.
    if a["access_logging"]:
        logging = {"Service": "logging.s3.amazonaws.com"}
        statements.append(
            {"Effect": "Allow", "Principal": logging, "Action": "s3:PutObject", "Resource": f"{arn}/access/*"}
        )
    if a["tls_only"]:
        insecure = {"Bool": {"aws:SecureTransport": "false"}}
        statement = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": insecure}
        statements.append(statement | {"Resource": [arn, f"{arn}/*"]})
    if a["public"] == "policy":
        statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
        statements.append(statement | {"Resource": f"{arn}/*"})
    if statements:
        policy = {"Version": "2012-10-17", "Statement": statements}
        s3.put_bucket_policy(Bucket=spec.name, Policy=json.dumps(policy))
    if a["access_logging"]:
        target = {"TargetBucket": spec.name, "TargetPrefix": "access/"}
        s3.put_bucket_logging(Bucket=spec.name, BucketLoggingStatus={"LoggingEnabled": target})
    if a["public"] == "acl":
        s3.put_bucket_acl(Bucket=spec.name, ACL="public-read")


def _create_database(account: _Account, spec: ResourceSpec) -> str:
    """Create the database in its own DB subnet group (named after it), behind its security group."""
    a = spec.attributes
    rds = account.client("rds", spec.region)
    rds.create_db_subnet_group(
        DBSubnetGroupName=spec.name,
        DBSubnetGroupDescription=f"{spec.name} (CloudForge demo)",
        SubnetIds=[account.id_of(spec, "subnet", subnet) for subnet in a["subnets"]],
    )
    rds.create_db_instance(
        DBInstanceIdentifier=spec.name,
        DBInstanceClass=a["instance_class"],
        Engine=a["engine"],
        AllocatedStorage=a["allocated_storage_gib"],
        MasterUsername="demo",
        MasterUserPassword=DB_PASSWORD,
        PubliclyAccessible=a["publicly_accessible"],
        StorageEncrypted=a["encrypted"],
        BackupRetentionPeriod=a["backup_retention_days"],
        MultiAZ=a["multi_az"],
        DBSubnetGroupName=spec.name,
        VpcSecurityGroupIds=[account.id_of(spec, "security_group", a["security_group"])],
        EnableIAMDatabaseAuthentication=a["iam_auth"],
        EnableCloudwatchLogsExports=list(a["log_exports"]),
        CopyTagsToSnapshot=a["copy_tags_to_snapshot"],
        EnablePerformanceInsights=a["performance_insights"],
        **(
            {"MonitoringInterval": 60, "MonitoringRoleArn": account.role_arn(READ_ROLE_NAME)}
            if a["enhanced_monitoring"]
            else {}
        ),
        Tags=_tag_list(spec.raw_tags),
    )
    report_performance_insights(spec.account_id, spec.region, spec.name, a["performance_insights"])
    return spec.name


def _create_user(account: _Account, spec: ResourceSpec) -> str:
    """Create the user, its access keys (``_backdate`` ages them) and, if it has one, its MFA device."""
    iam = account.client("iam", spec.region)
    iam.create_user(UserName=spec.name, Tags=_tag_list(spec.raw_tags))
    for _ in spec.attributes["access_key_ages_days"]:
        iam.create_access_key(UserName=spec.name)
    if spec.attributes["has_mfa"]:
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=spec.name)["VirtualMFADevice"]
        codes = {"AuthenticationCode1": "123456", "AuthenticationCode2": "654321"}  # moto accepts any
        iam.enable_mfa_device(UserName=spec.name, SerialNumber=device["SerialNumber"], **codes)
    if spec.attributes["console_password"]:
        iam.create_login_profile(UserName=spec.name, Password=CONSOLE_PASSWORD)
    return spec.name


def _create_account(account: _Account, spec: ResourceSpec) -> str:
    """The root user's MFA and access keys; a virtual root MFA device has AWS's fixed name."""
    mfa = spec.attributes["root_mfa"]
    if mfa == "virtual":
        account.client("iam", spec.region).create_virtual_mfa_device(VirtualMFADeviceName="root-account-mfa-device")
    set_root_user(spec.account_id, mfa=mfa is not None, access_keys=spec.attributes["root_access_keys"])
    return spec.account_id


def _create_policy(account: _Account, spec: ResourceSpec) -> str:
    """A customer-managed policy allowing its actions on every resource, attached to its users."""
    iam = account.client("iam", spec.region)
    statement = {"Effect": "Allow", "Action": list(spec.attributes["actions"]), "Resource": "*"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    arn = iam.create_policy(PolicyName=spec.name, PolicyDocument=document)["Policy"]["Arn"]
    for user in spec.attributes["users"]:
        iam.attach_user_policy(UserName=user, PolicyArn=arn)
    return spec.name


def _create_server_certificate(account: _Account, spec: ResourceSpec) -> str:
    start, end = (account.now + timedelta(days=days) for days in spec.attributes["valid_days"])
    body, key = self_signed(f"{spec.name}.example.com", start, end)
    account.client("iam", spec.region).upload_server_certificate(
        ServerCertificateName=spec.name, CertificateBody=body, PrivateKey=key
    )
    return spec.name


def _create_password_policy(account: _Account, spec: ResourceSpec) -> str:
    """Set the account's password policy, or leave the account without one; its id is the account id."""
    length, reuse = spec.attributes["minimum_password_length"], spec.attributes["password_reuse_prevention"]
    if length is not None:
        iam = account.client("iam", spec.region)
        iam.update_account_password_policy(MinimumPasswordLength=length, PasswordReusePrevention=reuse)
    return spec.account_id


def _kms_key_arn(account: _Account, spec: ResourceSpec) -> str | None:
    """The ARN of the estate's KMS key the spec names in ``kms_key`` (in its region), if it names one."""
    name = spec.attributes["kms_key"]
    return name and f"arn:aws:kms:{spec.region}:{spec.account_id}:key/{account.id_of(spec, 'kms_key', name)}"


def _create_log_group(account: _Account, spec: ResourceSpec) -> str:
    """The log group, encrypted with its account's demo key when the estate says so; its id is its name."""
    logs, a = account.client("logs", spec.region), spec.attributes
    key = {"kmsKeyId": arn} if (arn := _kms_key_arn(account, spec)) else {}
    logs.create_log_group(logGroupName=spec.name, tags=spec.raw_tags, **key)
    if a["retention_days"]:
        logs.put_retention_policy(logGroupName=spec.name, retentionInDays=a["retention_days"])
    return spec.name


_S3_OBJECTS = [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]
TRAIL_SELECTORS = {  # demo.compliance's trail events -> put_event_selectors arguments (None: AWS's default)
    "default": None,
    "write": {"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True,
                                  "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]},
    "all": {"AdvancedEventSelectors": [
        {"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
        {"Name": "s3 objects", "FieldSelectors": _S3_OBJECTS},
    ]},
}


def _create_trail(account: _Account, spec: ResourceSpec) -> str:
    """A logging multi-region trail into its bucket, validated and encrypted as the estate says."""
    cloudtrail, a = account.client("cloudtrail", spec.region), spec.attributes
    key = {"KmsKeyId": arn} if (arn := _kms_key_arn(account, spec)) else {}
    cloudtrail.create_trail(
        Name=spec.name, S3BucketName=a["bucket"], IsMultiRegionTrail=True,
        EnableLogFileValidation=a["log_file_validation"], TagsList=_tag_list(spec.raw_tags), **key,
        **_trail_alarms(account, spec),
    )
    cloudtrail.start_logging(Name=spec.name)
    if selectors := TRAIL_SELECTORS[a["events"]]:
        cloudtrail.put_event_selectors(TrailName=spec.name, **selectors)
    return spec.name


def _trail_alarms(account: _Account, spec: ResourceSpec) -> dict[str, str]:
    """CIS section 4 on the trail's log group as the estate says: every CIS metric filter, an alarm on each
    notifying the account's security topic, subscribed to by a queue (or by nobody); the trail's settings to
    deliver there, none when it does not. The role CloudTrail would assume is not created: moto does not
    check it, and the estate lists no such role."""
    monitoring = spec.attributes["monitoring"]
    if monitoring is None:
        return {}
    logs, cloudwatch, sns = (account.client(service, spec.region) for service in ("logs", "cloudwatch", "sns"))
    topic = sns.create_topic(Name=TRAIL_ALARM_TOPIC)["TopicArn"]
    if monitoring == "alarmed":
        sqs = account.client("sqs", spec.region)
        queue = sqs.create_queue(QueueName=TRAIL_ALARM_TOPIC)["QueueUrl"]
        endpoint = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=endpoint)
    group = spec.attributes["log_group"]
    for name, pattern in CIS_METRIC_FILTERS.values():
        metric = {"metricName": name, "metricNamespace": TRAIL_ALARM_NAMESPACE, "metricValue": "1"}
        logs.put_metric_filter(
            logGroupName=group, filterName=name, filterPattern=pattern, metricTransformations=[metric]
        )
        cloudwatch.put_metric_alarm(
            AlarmName=f"cis-{name}", MetricName=name, Namespace=TRAIL_ALARM_NAMESPACE, Statistic="Sum",
            Period=300, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[topic],
        )
    return {
        "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{spec.region}:{spec.account_id}:log-group:{group}:*",
        "CloudWatchLogsRoleArn": f"arn:aws:iam::{spec.account_id}:role/cloudforge-demo-trail-logs",
    }


def _create_role(account: _Account, spec: ResourceSpec) -> str:
    principal = spec.attributes["trusted_principal"]
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": principal} if principal.startswith("arn:") else {"Service": principal},
        "Action": "sts:AssumeRole",
    }
    account.client("iam", spec.region).create_role(
        RoleName=spec.name,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
        Tags=_tag_list(spec.raw_tags),
    )
    for policy_arn in spec.attributes.get("managed_policies", ()):
        account.client("iam", spec.region).attach_role_policy(RoleName=spec.name, PolicyArn=policy_arn)
    return spec.name


def _function_code() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("handler.py", "def handler(event, context):\n    return {'ok': True}\n")
    return archive.getvalue()


def _create_function(account: _Account, spec: ResourceSpec) -> str:
    runtime = spec.attributes["runtime"]
    return account.client("lambda", spec.region).create_function(
        FunctionName=spec.name,
        Runtime=runtime,
        Role=f"arn:aws:iam::{account.account_id}:role/{spec.attributes['role']}",
        Handler="handler.handler" if runtime.startswith("python") else "index.handler",
        Code={"ZipFile": _function_code()},
        MemorySize=spec.attributes["memory_mb"],
        Tags=spec.raw_tags,
    )["FunctionArn"]


def _create_load_balancer(account: _Account, spec: ResourceSpec) -> str:
    """Create the balancer and one target group (named after it) forwarding to its target instances."""
    a = spec.attributes
    elbv2 = account.client("elbv2", spec.region)
    balancer_arn = elbv2.create_load_balancer(
        Name=spec.name,
        Subnets=[account.id_of(spec, "subnet", subnet) for subnet in a["subnets"]],
        SecurityGroups=[account.id_of(spec, "security_group", a["security_group"])],
        Scheme=a["scheme"],
        Type="application",
        **({"Tags": _tag_list(spec.raw_tags)} if spec.raw_tags else {}),  # elbv2 refuses an empty list
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group_arn = elbv2.create_target_group(
        Name=spec.name, Protocol="HTTP", Port=80, VpcId=account.id_of(spec, "vpc", a["vpc"]), TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]
    if a["targets"]:
        targets = [{"Id": account.id_of(spec, "ec2_instance", name)} for name in a["targets"]]
        elbv2.register_targets(TargetGroupArn=group_arn, Targets=targets)
    forward = [{"Type": "forward", "TargetGroupArn": group_arn}]
    elbv2.create_listener(LoadBalancerArn=balancer_arn, Protocol="HTTP", Port=80, DefaultActions=forward)
    return balancer_arn


def _create_key(account: _Account, spec: ResourceSpec) -> str:
    kms = account.client("kms", spec.region)
    tags = [{"TagKey": k, "TagValue": v} for k, v in spec.raw_tags.items()]
    key_id = kms.create_key(Description=spec.name, Tags=tags)["KeyMetadata"]["KeyId"]
    if spec.attributes["rotation_enabled"]:
        kms.enable_key_rotation(KeyId=key_id)
    return key_id


_EC2_ARN_TYPES = {
    "ec2_instance": "instance",
    "ebs_volume": "volume",
    "ebs_snapshot": "snapshot",
    "elastic_ip": "elastic-ip",
    "security_group": "security-group",
    "vpc": "vpc",
    "subnet": "subnet",
}


def _identity(spec: ResourceSpec, created: str) -> tuple[str, str]:
    """(resource_id, ARN) as the inventory reports them (assets/aws/collectors.py), from what creating it
    returned: the AWS id (EC2 types, KMS keys), the ARN (functions, load balancers), else the name."""
    account, region, name = spec.account_id, spec.region, spec.name
    if spec.resource_type in _EC2_ARN_TYPES:
        owner = "" if spec.resource_type == "ebs_snapshot" else account  # snapshot ARNs carry no account
        return created, f"arn:aws:ec2:{region}:{owner}:{_EC2_ARN_TYPES[spec.resource_type]}/{created}"
    if spec.resource_type in ("lambda_function", "load_balancer"):
        return name, created
    if spec.resource_type in ("iam_password_policy", "iam_account", "cloudtrail_account") or spec.resource_type in REGION_SETTINGS:
        return created, None  # account or region settings have no ARN
    if spec.resource_type == "network_acl":
        return created, f"arn:aws:ec2:{region}:{account}:network-acl/{created}"
    if spec.resource_type == "efs_file_system":
        return created, f"arn:aws:elasticfilesystem:{region}:{account}:file-system/{created}"
    arn = {
        "s3_bucket": f"arn:aws:s3:::{name}",
        "rds_instance": f"arn:aws:rds:{region}:{account}:db:{name}",
        "iam_user": f"arn:aws:iam::{account}:user/{name}",
        "iam_role": f"arn:aws:iam::{account}:role/{name}",
        "iam_policy": f"arn:aws:iam::{account}:policy/{name}",
        "iam_server_certificate": f"arn:aws:iam::{account}:server-certificate/{name}",
        "kms_key": f"arn:aws:kms:{region}:{account}:key/{created}",
        "cloudwatch_log_group": f"arn:aws:logs:{region}:{account}:log-group:{name}",
        "cloudtrail_trail": f"arn:aws:cloudtrail:{region}:{account}:trail/{name}",
    }[spec.resource_type]
    return created, arn


_CREATE: dict[str, Callable[[_Account, ResourceSpec], str]] = {
    "vpc": _create_vpc,
    "subnet": _create_subnet,
    "security_group": _create_security_group,
    "ec2_instance": _create_instance,
    "ebs_volume": _create_volume,
    "ebs_snapshot": _create_snapshot,
    "elastic_ip": _create_elastic_ip,
    "s3_bucket": _create_bucket,
    "rds_instance": _create_database,
    "iam_user": _create_user,
    "iam_role": _create_role,
    "lambda_function": _create_function,
    "load_balancer": _create_load_balancer,
    "kms_key": _create_key,
    "iam_password_policy": _create_password_policy,
    "cloudwatch_log_group": _create_log_group,
    "cloudtrail_trail": _create_trail,
    "iam_account": _create_account,
    "iam_policy": _create_policy,
    "iam_server_certificate": _create_server_certificate,
    "network_acl": _create_network_acl,
    "ebs_encryption_by_default": _set_ebs_encryption_by_default,
    "config_recorder": _create_config_recorder,
    "security_hub": _enable_security_hub,
    "guardduty_detector": _create_detector,
    "efs_file_system": _create_file_system,
    "cloudtrail_account": lambda account, spec: spec.account_id,  # what the account's trails add up to
    "access_analyzer": _create_analyzer,
}


def _settle_aws_resource(account: _Account, spec: ResourceSpec) -> None:
    """AWS made it already; do what AWS does on top: rotate its own keys."""
    if spec.resource_type == "kms_key" and spec.attributes["rotation_enabled"]:
        kms = account.client("kms", spec.region)
        kms.enable_key_rotation(KeyId=kms.describe_key(KeyId=spec.name)["KeyMetadata"]["KeyId"])



def _forget_accounts(account_ids: list[str]) -> None:
    """Drop these accounts from every moto backend in use, as moto's own reset does for all accounts, and
    from the Access Analyzer beside it."""
    from moto.core.base_backend import BackendDict

    ACCESS_ANALYZER.forget(account_ids)
    for backends in list(BackendDict._instances):
        for account_id in account_ids:
            if account_id in backends:
                backends[account_id].reset()
                del backends[account_id]

