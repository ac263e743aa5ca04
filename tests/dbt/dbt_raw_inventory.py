"""The hand-built raw_aws inventory the dbt tests build from: every resource type, tag key variants,
synonyms and misspellings, blank values, untagged resources and one malformed Tags entry."""

import json

from psycopg import sql

from cloudforge.warehouse import connect, ensure_schema

A, B = "111111111111", "222222222222"
SYNC_ID = "00000000-0000-4000-8000-000000000001"
SYNCED_AT = "2024-06-01T06:00:00+00:00"
# Not the default order, without project, with a key no synonym covers: proves the var reaches dbt.
REQUIRED_TAGS = ["team", "env", "owner", "cost-center"]
WEB_LB_ARN = f"arn:aws:elasticloadbalancing:eu-west-1:{B}:loadbalancer/app/web-lb/50dc6c495c0c9188"


def tag_list(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs]


# (account_id, region, resource_type, resource_id, arn, document)
RAW_RESOURCES = [
    (A, "us-east-1", "ec2_instance", "i-0a1", f"arn:aws:ec2:us-east-1:{A}:instance/i-0a1", {
        "InstanceId": "i-0a1", "InstanceType": "t3.large", "State": {"Code": 16, "Name": "running"},
        "LaunchTime": "2024-01-15T08:30:00+00:00", "VpcId": "vpc-1", "SubnetId": "subnet-1",
        "Placement": {"AvailabilityZone": "us-east-1a"},
        "Tags": tag_list(("Name", "web-1"), ("Team", " Payments "), ("Project", "Checkout"),
                         ("Environment", "Prod"), ("Owner", "Alice@Example.com"), ("cost-center", "cc-1")),
    }),
    (A, "us-east-1", "ec2_instance", "i-0a2", f"arn:aws:ec2:us-east-1:{A}:instance/i-0a2", {
        "InstanceId": "i-0a2", "InstanceType": "t3.micro", "State": {"Code": 80, "Name": "stopped"},
        "LaunchTime": "2024-02-01T10:00:00+02:00", "VpcId": "vpc-1", "SubnetId": "subnet-1",
        "Tags": tag_list(("squad", "growth"), ("team", "data"), ("env", "dev"), ("Onwer", "bob"),
                         ("Cost-Center", "cc-2")),
    }),
    (A, "us-east-1", "ebs_volume", "vol-1", None, {
        "VolumeId": "vol-1", "Size": 100, "State": "in-use", "Encrypted": False, "VolumeType": "gp3",
        "CreateTime": "2024-01-15T08:29:00+00:00", "AvailabilityZone": "us-east-1a",
        "Attachments": [{"InstanceId": "i-0a1", "State": "attached"}],
        "Tags": tag_list(("TEAM", "Data"), ("Enviroment", "staging")),
    }),
    (A, "us-east-1", "ebs_snapshot", "snap-1", None, {
        "SnapshotId": "snap-1", "VolumeId": "vol-1", "StartTime": "2024-03-01T00:00:00+00:00",
        "Encrypted": True, "VolumeSize": 100, "State": "completed", "Tags": [],
    }),
    (A, "us-east-1", "elastic_ip", "eipalloc-1", None, {
        "AllocationId": "eipalloc-1", "PublicIp": "203.0.113.10", "Domain": "vpc",
        "Tags": tag_list(("Name", " spare-ip "), ("team", " "), ("department", "Net"), ("owner", "carol"),
                         ("env", "prod"), ("cost-center", "cc-3")),
    }),
    (A, "us-east-1", "security_group", "sg-1", f"arn:aws:ec2:us-east-1:{A}:security-group/sg-1", {
        "GroupId": "sg-1", "GroupName": "web-sg", "VpcId": "vpc-1", "Description": "web",
        "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                           "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        "IpPermissionsEgress": [],
        "Tags": tag_list(("Team", "payments"), ("stage", "prod"), ("owned_by", "alice")),
    }),
    (A, "us-east-1", "vpc", "vpc-1", None, {
        "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": False, "State": "available",
        "Tags": tag_list(("Name", "main")),
    }),
    (A, "us-east-1", "subnet", "subnet-1", None, {
        "SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",
        "AvailabilityZone": "us-east-1a", "State": "available",
        "Tags": tag_list(("Team", "data"), ("Env", "prod"), ("Owner", "dan"), ("cost-center", "cc-1")),
    }),
    (A, "us-east-1", "s3_bucket", "logs-bucket", "arn:aws:s3:::logs-bucket", {
        "Name": "logs-bucket", "CreationDate": "2023-11-05T12:00:00+00:00", "Region": "us-east-1",
        "ServerSideEncryptionConfiguration": None, "Versioning": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": None,
        "Tags": tag_list(("team", "data"), ("env", "prod"), ("owner", "erin"), ("cost-center", "cc-4")),
    }),
    (A, "global", "iam_user", "alice", f"arn:aws:iam::{A}:user/alice", {
        "UserName": "alice", "UserId": "AIDAALICE", "Arn": f"arn:aws:iam::{A}:user/alice",
        "CreateDate": "2022-05-01T00:00:00+00:00", "MFADevices": [], "LoginProfile": None,
        "AccessKeys": [{"AccessKeyId": "AKIAEXAMPLE", "Status": "Active",
                        "CreateDate": "2022-05-01T00:00:00+00:00", "LastUsedDate": None}],
        "Tags": [],
    }),
    (A, "global", "iam_role", "deployer", f"arn:aws:iam::{A}:role/deployer", {
        "RoleName": "deployer", "RoleId": "AROADEPLOYER", "Arn": f"arn:aws:iam::{A}:role/deployer",
        "CreateDate": "2022-06-01T00:00:00+00:00",
        "Tags": tag_list(("Team", "Platform"), ("env", "prod"), ("owner", "ops"), ("cost-center", "cc-9")),
    }),
    (B, "eu-west-1", "rds_instance", "orders-db", f"arn:aws:rds:eu-west-1:{B}:db:orders-db", {
        "DBInstanceIdentifier": "orders-db", "DBInstanceArn": f"arn:aws:rds:eu-west-1:{B}:db:orders-db",
        "DBInstanceClass": "db.t3.medium", "Engine": "postgres", "DBInstanceStatus": "available",
        "PubliclyAccessible": False, "StorageEncrypted": True, "BackupRetentionPeriod": 7,
        "InstanceCreateTime": "2023-03-03T03:03:03+00:00",
        "Tags": tag_list(("team", "payments"), ("environment", "prod"), ("owner", "frank"),
                         ("Project", "orders")),
    }),
    (B, "eu-west-1", "lambda_function", "resize", f"arn:aws:lambda:eu-west-1:{B}:function:resize", {
        "FunctionName": "resize", "FunctionArn": f"arn:aws:lambda:eu-west-1:{B}:function:resize",
        "Runtime": "python3.12", "LastModified": "2024-05-01T12:00:00.000+0000",
        "Tags": tag_list(("Team", "media"), ("env", "dev"), ("owner", "gus"), ("cost-center", "cc-5")),
    }),
    (B, "eu-west-1", "load_balancer", "web-lb", WEB_LB_ARN, {
        "LoadBalancerArn": WEB_LB_ARN,
        "LoadBalancerName": "web-lb", "Type": "application", "Scheme": "internet-facing",
        "State": {"Code": "active"}, "CreatedTime": "2024-04-04T04:04:04+00:00",
        "Tags": tag_list(("Team", "payments"), ("env", "prod")),
    }),
    (B, "eu-west-1", "kms_key", "key-1", f"arn:aws:kms:eu-west-1:{B}:key/key-1", {
        "KeyId": "key-1", "Arn": f"arn:aws:kms:eu-west-1:{B}:key/key-1", "KeyState": "Enabled",
        "KeyManager": "CUSTOMER", "CreationDate": "2023-01-01T00:00:00+00:00", "Description": "",
        "KeyRotationEnabled": True, "Tags": [],
    }),
    # A malformed entry (no Key): dropped, the resource and its other tags stay; the source test warns.
    (B, "eu-west-1", "ec2_instance", "i-0b1", f"arn:aws:ec2:eu-west-1:{B}:instance/i-0b1", {
        "InstanceId": "i-0b1", "InstanceType": "m5.large", "State": {"Code": 16, "Name": "running"},
        "LaunchTime": "2024-05-05T05:05:05+00:00",
        "Tags": [{"Key": "team", "Value": "data"}, {"Value": "orphan"}],
    }),
]


def load_raw_inventory(url: str, resources: list[tuple] = RAW_RESOURCES, synced_at: str = SYNCED_AT) -> None:
    """Create the raw_aws tables and COPY the hand-built inventory (or ``resources``) in, synced at ``synced_at``."""
    columns = ("account_id", "region", "resource_type", "resource_id", "arn", "document", "sync_id",
               "synced_at")
    copy = sql.SQL("COPY raw_aws.resources ({}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connect(url) as conn, conn.cursor() as cur:
        ensure_schema(conn)
        with cur.copy(copy) as copier:
            for *identity, document in resources:
                copier.write_row((*identity, json.dumps(document), SYNC_ID, synced_at))
