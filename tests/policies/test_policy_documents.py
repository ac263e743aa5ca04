"""The mapping module: raw inventory documents and Terraform plans to one normalised shape per type."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from policies.documents import (
    RESOURCE_TYPES,
    DocumentError,
    PlanFormatError,
    from_inventory,
    from_plan,
)

FIXTURES = Path(__file__).parent / "fixtures"
TAGS = [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "data"}]
_ALL_OUT = {
    "protocol": "all",
    "from_port": 0,
    "to_port": 65535,
    "ipv4_ranges": ["0.0.0.0/0"],
    "ipv6_ranges": [],
    "internet_sources": ["0.0.0.0/0"],
}

# (resource type, raw document as the inventory stores it, the normalised document)
INVENTORY_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "ec2_instance",
        {
            "InstanceId": "i-1",
            "InstanceType": "t3.micro",
            "State": {"Code": 16, "Name": "running"},
            "LaunchTime": "2025-01-02T03:04:05+00:00",
            "PublicIpAddress": "54.0.0.1",
            "MetadataOptions": {"HttpTokens": "optional", "HttpEndpoint": "enabled"},
            "RootDeviceName": "/dev/xvda",
            "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeId": "vol-1", "Encrypted": False}},
                {"DeviceName": "/dev/sdf", "Ebs": {"VolumeId": "vol-2", "Encrypted": True}},
            ],
            "Monitoring": {"State": "disabled"},
            "Tags": TAGS,
        },
        {
            "id": "i-1",
            "instance_type": "t3.micro",
            "instance_family": "t3",
            "state": "running",
            "launched_at": "2025-01-02T03:04:05Z",
            "has_public_ip": True,
            "imdsv2_required": False,
            "volume_ids": ["vol-1", "vol-2"],
            "root_volume_encrypted": False,  # the root device's volume, not the data volume
            "detailed_monitoring": False,
            "has_instance_profile": False,
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "ebs_volume",
        {
            "VolumeId": "vol-1",
            "Size": 100,
            "VolumeType": "gp2",
            "Encrypted": False,
            "State": "available",
            "CreateTime": "2024-12-31T23:00:00-02:00",
            "Attachments": [],
            "Tags": [],
        },
        {
            "id": "vol-1",
            "size_gb": 100,
            "volume_type": "gp2",
            "encrypted": False,
            "state": "available",
            "created_at": "2025-01-01T01:00:00Z",
            "tags": {},
        },
    ),
    (
        "ebs_snapshot",
        {
            "SnapshotId": "snap-1",
            "VolumeId": "vol-1",
            "VolumeSize": 8,
            "Encrypted": True,
            "StartTime": "2023-05-01T00:00:00+00:00",
            "State": "completed",
            "Tags": TAGS,
        },
        {
            "id": "snap-1",
            "volume_id": "vol-1",
            "size_gb": 8,
            "encrypted": True,
            "created_at": "2023-05-01T00:00:00Z",
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "elastic_ip",
        {"AllocationId": "eipalloc-1", "PublicIp": "198.51.100.1", "Domain": "vpc", "Tags": []},
        {"id": "eipalloc-1", "public_ip": "198.51.100.1", "associated": False, "tags": {}},
    ),
    (
        "security_group",
        {
            "GroupId": "sg-1",
            "GroupName": "default",
            "VpcId": "vpc-1",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                    "UserIdGroupPairs": [],
                },
                {
                    "IpProtocol": "-1",
                    "IpRanges": [],
                    "Ipv6Ranges": [],
                    "UserIdGroupPairs": [{"GroupId": "sg-1"}],
                },
            ],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "Tags": [],
        },
        {
            "id": "sg-1",
            "name": "default",
            "vpc_id": "vpc-1",
            "is_default": True,
            "ingress": [
                {
                    "protocol": "tcp",
                    "from_port": 22,
                    "to_port": 22,
                    "ipv4_ranges": ["0.0.0.0/0"],
                    "ipv6_ranges": ["::/0"],
                    "internet_sources": ["0.0.0.0/0", "::/0"],
                },
                {
                    "protocol": "all",
                    "from_port": 0,
                    "to_port": 65535,
                    "ipv4_ranges": [],
                    "ipv6_ranges": [],
                    "internet_sources": [],
                },
            ],
            "egress": [_ALL_OUT],
            "tags": {},
        },
    ),
    (
        "vpc",
        {
            "VpcId": "vpc-1",
            "CidrBlock": "10.0.0.0/16",
            "IsDefault": False,
            "Tags": [*TAGS, {"Key": "owner", "Value": ""}],
        },
        {
            "id": "vpc-1",
            "cidr_block": "10.0.0.0/16",
            "is_default": False,
            "flow_logs_enabled": False,
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "subnet",
        {
            "SubnetId": "subnet-1",
            "VpcId": "vpc-1",
            "CidrBlock": "10.0.1.0/24",
            "MapPublicIpOnLaunch": True,
            "Tags": [],
        },
        {
            "id": "subnet-1",
            "vpc_id": "vpc-1",
            "cidr_block": "10.0.1.0/24",
            "map_public_ip_on_launch": True,
            "tags": {},
        },
    ),
    (
        "s3_bucket",
        {
            "Name": "logs",
            "CreationDate": "2024-02-03T04:05:06+00:00",
            "BucketRegion": "eu-west-1",
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"}}
                ]
            },
            "Versioning": {"Status": "Enabled", "MFADelete": "Disabled"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": False,
                "RestrictPublicBuckets": True,
            },
            "LoggingEnabled": None,
            # public to anyone over plain HTTP: no SecureTransport condition, Principal {"AWS": "*"}
            "Policy": json.dumps(
                {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}]}
            ),
            "Grants": [
                {"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"},
                {
                    "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},
                    "Permission": "READ",
                },
            ],
            "Tags": TAGS,
        },
        {
            "name": "logs",
            "region": "eu-west-1",
            "created_at": "2024-02-03T04:05:06Z",
            "encryption_algorithm": "aws:kms",
            "kms_key_id": "k",
            "versioning_enabled": True,
            "mfa_delete_enabled": False,
            "public_access_block": {
                "block_public_acls": True,
                "ignore_public_acls": True,
                "block_public_policy": False,
                "restrict_public_buckets": True,
            },
            "access_logging_enabled": False,
            "tls_required": False,
            "public_acl": True,
            "public_policy": True,
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "rds_instance",
        {
            "DBInstanceIdentifier": "orders",
            "Engine": "postgres",
            "DBInstanceClass": "db.t3.micro",
            "StorageEncrypted": False,
            "PubliclyAccessible": True,
            "BackupRetentionPeriod": 0,
            "MultiAZ": False,
            "DeletionProtection": False,
            "AutoMinorVersionUpgrade": True,
            "IAMDatabaseAuthenticationEnabled": False,
            "EnabledCloudwatchLogsExports": ["upgrade", "postgresql"],
            "MonitoringInterval": 0,
            "CopyTagsToSnapshot": True,
            "TagList": TAGS,
            "Tags": TAGS,
        },
        {
            "id": "orders",
            "engine": "postgres",
            "instance_class": "db.t3.micro",
            "storage_encrypted": False,
            "publicly_accessible": True,
            "backup_retention_days": 0,
            "multi_az": False,
            "deletion_protection": False,
            "auto_minor_version_upgrade": True,
            "iam_auth_enabled": False,
            "log_exports": ["postgresql", "upgrade"],
            "monitoring_interval": 0,
            "performance_insights_enabled": None,  # not in the API's answer: unknown, not off
            "copy_tags_to_snapshot": True,
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "iam_user",
        {
            "UserName": "alice",
            "Arn": "arn:aws:iam::111111111111:user/alice",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "PasswordLastUsed": "2025-05-01T00:00:00+00:00",
            "MFADevices": [],
            "AccessKeys": [
                {
                    "AccessKeyId": "AKIA1",
                    "Status": "Active",
                    "CreateDate": "2024-06-01T00:00:00+00:00",
                    "LastUsedDate": None,
                },
                {
                    "AccessKeyId": "AKIA2",
                    "Status": "Inactive",
                    "CreateDate": "2024-06-02T00:00:00+00:00",
                    "LastUsedDate": "2024-07-01T00:00:00+00:00",
                },
            ],
            "LoginProfile": {"UserName": "alice", "CreateDate": "2024-01-01T00:00:00+00:00"},
            "AttachedPolicies": [
                {"PolicyName": "zeta", "PolicyArn": "arn:aws:iam::111111111111:policy/zeta"},
                {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            ],
            "PolicyNames": ["local"],
            "Tags": [],
        },
        {
            "name": "alice",
            "arn": "arn:aws:iam::111111111111:user/alice",
            "created_at": "2024-01-01T00:00:00Z",
            "password_enabled": True,
            "password_last_used_at": "2025-05-01T00:00:00Z",
            "mfa_enabled": False,
            "access_keys": [
                {"id": "AKIA1", "active": True, "created_at": "2024-06-01T00:00:00Z", "last_used_at": None},
                {
                    "id": "AKIA2",
                    "active": False,
                    "created_at": "2024-06-02T00:00:00Z",
                    "last_used_at": "2024-07-01T00:00:00Z",
                },
            ],
            "attached_policies": ["arn:aws:iam::111111111111:policy/zeta", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "inline_policies": ["local"],
            "tags": {},
        },
    ),
    (
        "iam_account",  # AWS's credential report: the root row's latest use wins; N/A and no_information are none
        {
            "AccountSummary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 1},
            "RootUser": {
                "user": "<root_account>",
                "password_last_used": "2025-05-01T10:00:00+00:00",
                "access_key_1_last_used_date": "2025-05-03T08:00:00+00:00",
                "access_key_2_last_used_date": "N/A",
            },
            "RootVirtualMFADevice": "arn:aws:iam::111111111111:mfa/root-account-mfa-device",
            "SupportRoles": ["support", "incidents"],
            "Tags": [],
        },
        {
            "root_access_keys_present": True,
            "root_mfa_enabled": True,
            "root_virtual_mfa": True,
            "root_credentials_reported": True,
            "root_last_used_at": "2025-05-03T08:00:00Z",
            "support_roles": ["incidents", "support"],
        },
    ),
    (
        "iam_account",  # moto: no root row in the credential report, so the root's use is unknown
        {
            "AccountSummary": {"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0},
            "RootUser": None,
            "RootVirtualMFADevice": None,
            "SupportRoles": [],
            "Tags": [],
        },
        {
            "root_access_keys_present": False,
            "root_mfa_enabled": False,
            "root_virtual_mfa": False,
            "root_credentials_reported": False,
            "root_last_used_at": None,
            "support_roles": [],
        },
    ),
    (
        "iam_account",  # a root user never used: the report says no_information and N/A
        {
            "AccountSummary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0},
            "RootUser": {
                "user": "<root_account>",
                "password_last_used": "no_information",
                "access_key_1_last_used_date": "N/A",
                "access_key_2_last_used_date": "N/A",
            },
            "RootVirtualMFADevice": None,
            "SupportRoles": ["support"],
            "Tags": [],
        },
        {
            "root_access_keys_present": False,
            "root_mfa_enabled": True,
            "root_virtual_mfa": False,
            "root_credentials_reported": True,
            "root_last_used_at": None,
            "support_roles": ["support"],
        },
    ),
    (
        "iam_policy",  # boto3 decodes the URL-encoded document; a single statement and a string action are lists
        {
            "PolicyName": "admin",
            "Arn": "arn:aws:iam::111111111111:policy/admin",
            "DefaultVersionId": "v2",
            "AttachmentCount": 2,
            "Document": {
                "Version": "2012-10-17",
                "Statement": {"Effect": "Allow", "Action": "*", "Resource": ["*"]},
            },
            "Tags": TAGS,
        },
        {
            "name": "admin",
            "arn": "arn:aws:iam::111111111111:policy/admin",
            "attachment_count": 2,
            "statements": [{"effect": "Allow", "actions": ["*"], "resources": ["*"]}],
            "tags": {"env": "prod", "team": "data"},
        },
    ),
    (
        "iam_policy",  # a NotAction statement names no action: it is not read as "*"
        {
            "PolicyName": "all-but-iam",
            "AttachmentCount": 0,
            "Document": json.dumps({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}),
            "Tags": [],
        },
        {
            "name": "all-but-iam",
            "arn": None,
            "attachment_count": 0,
            "statements": [{"effect": "Allow", "actions": [], "resources": ["*"]}],
            "tags": {},
        },
    ),
    (
        "iam_server_certificate",  # moto's fixed Expiration, in its own form
        {
            "ServerCertificateName": "web",
            "Path": "/",
            "Arn": "arn:aws:iam::111111111111:server-certificate/web",
            "UploadDate": "2010-05-08T01:02:03.004000+00:00",
            "ServerCertificateId": "ASCACKCEVSQ6C2EXAMPLE",
            "Expiration": "2012-05-08T01:02:03.004000+00:00",
            "Tags": [],
        },
        {"name": "web", "arn": "arn:aws:iam::111111111111:server-certificate/web", "expires_at": "2012-05-08T01:02:03Z"},
    ),
    (
        "iam_role",
        {
            "RoleName": "open",
            "Arn": "arn:aws:iam::111111111111:role/open",
            "Path": "/",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            },
            "Tags": [],
        },
        {
            "name": "open",
            "arn": "arn:aws:iam::111111111111:role/open",
            "path": "/",
            "created_at": "2024-01-01T00:00:00Z",
            "trust_statements": [
                {
                    "effect": "Allow",
                    "principals": {"AWS": ["*"]},
                    "actions": ["sts:AssumeRole"],
                    "has_condition": False,
                }
            ],
            "tags": {},
        },
    ),
    (
        "lambda_function",
        {
            "FunctionName": "etl",
            "FunctionArn": "arn:aws:lambda:eu-west-1:1:function:etl",
            "Runtime": "python3.9",
            "Tags": [],
        },
        {
            "name": "etl",
            "arn": "arn:aws:lambda:eu-west-1:1:function:etl",
            "runtime": "python3.9",
            "package_type": "Zip",
            "tags": {},
        },
    ),
    (
        "load_balancer",
        {
            "LoadBalancerName": "web",
            "LoadBalancerArn": "arn:lb",
            "Type": "network",
            "Scheme": "internet-facing",
            "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": "subnet-1"}],
            "Tags": [],
        },
        {
            "name": "web",
            "arn": "arn:lb",
            "type": "network",
            "scheme": "internet-facing",
            "zone_count": 1,
            "tags": {},
        },
    ),
    (
        "iam_password_policy",  # moto's answer: MaxPasswordAge 0 when passwords do not expire
        {
            "PasswordPolicy": {
                "MinimumPasswordLength": 12,
                "RequireSymbols": True,
                "RequireNumbers": False,
                "RequireUppercaseCharacters": False,
                "RequireLowercaseCharacters": True,
                "AllowUsersToChangePassword": False,
                "ExpirePasswords": False,
                "MaxPasswordAge": 0,
                "PasswordReusePrevention": 5,
                "HardExpiry": False,
            },
            "Tags": [],
        },
        {
            "exists": True,
            "minimum_length": 12,
            "reuse_prevention": 5,
            "require_symbols": True,
            "require_numbers": False,
            "require_uppercase": False,
            "require_lowercase": True,
            "max_age_days": None,
        },
    ),
    (
        "iam_password_policy",  # an account without a policy
        {"PasswordPolicy": None, "Tags": []},
        {
            "exists": False,
            "minimum_length": None,
            "reuse_prevention": None,
            "require_symbols": None,
            "require_numbers": None,
            "require_uppercase": None,
            "require_lowercase": None,
            "max_age_days": None,
        },
    ),
    (
        "kms_key",
        {
            "KeyId": "k-1",
            "Arn": "arn:kms",
            "KeyManager": "CUSTOMER",
            "KeyState": "Enabled",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyRotationEnabled": False,
            "Aliases": ["alias/data"],
            "Tags": [],
        },
        {
            "id": "k-1",
            "arn": "arn:kms",
            "manager": "CUSTOMER",
            "state": "Enabled",
            "spec": "SYMMETRIC_DEFAULT",
            "rotation_enabled": False,
            "tags": {},
        },
    ),
    (
        "cloudwatch_log_group",  # moto's answer: arn with ':*', logGroupArn without
        {
            "logGroupName": "/app/api",
            "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api:*",
            "logGroupArn": "arn:aws:logs:eu-west-1:1:log-group:/app/api",
            "creationTime": 1700000000000,
            "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/k-1",
            "retentionInDays": 30,
            "Tags": [{"Key": "team", "Value": "data"}],
        },
        {
            "name": "/app/api",
            "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api",
            "kms_key_id": "arn:aws:kms:eu-west-1:1:key/k-1",
            "kms_encrypted": True,
            "retention_days": 30,
            "tags": {"team": "data"},
        },
    ),
    (
        "cloudwatch_log_group",  # no key, never expires: both keys absent (older API answers: arn only)
        {"logGroupName": "/app/api", "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api:*", "Tags": []},
        {
            "name": "/app/api",
            "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api",
            "kms_key_id": None,
            "kms_encrypted": False,
            "retention_days": 0,
            "tags": {},
        },
    ),
    (
        "cloudtrail_trail",  # moto's answer: KmsKeyId null when none; the collector adds the bucket's logging
        {
            "Name": "management",
            "S3BucketName": "acme-trail",
            "IsMultiRegionTrail": True,
            "TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/management",
            "LogFileValidationEnabled": False,
            "KmsKeyId": None,
            "IsLogging": True,
            "S3BucketLogging": {"LoggingEnabled": None},
            "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True, "DataResources": [
                {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::"]}]}],
            "AdvancedEventSelectors": [],
            "Tags": [{"Key": "team", "Value": "security"}],
        },
        {
            "name": "management",
            "arn": "arn:aws:cloudtrail:eu-west-1:1:trail/management",
            "multi_region": True,
            "logging": True,
            "log_file_validation": False,
            "kms_key_id": None,
            "kms_encrypted": False,
            "s3_bucket_name": "acme-trail",
            "s3_bucket_access_logging": False,
            "management_events": "WriteOnly",
            "s3_object_events": "WriteOnly",
            "cloudwatch_logs_log_group_arn": None,
            "cloudwatch_logs_integrated": False,
            "metric_filters": [],
            "tags": {"team": "security"},
        },
    ),
    (
        "cloudtrail_trail",  # a bucket in another account: its logging cannot be read
        {
            "Name": "org",
            "S3BucketName": "central-logs",
            "TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/org",
            "KmsKeyId": "arn:aws:kms:eu-west-1:2:key/k-9",
            "IsLogging": False,
            "S3BucketLogging": None,
            "CloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:1:log-group:org-trail:*",
            "MetricFilters": None,
            "Tags": [],
        },
        {
            "name": "org",
            "arn": "arn:aws:cloudtrail:eu-west-1:1:trail/org",
            "multi_region": False,
            "logging": False,
            "log_file_validation": False,
            "kms_key_id": "arn:aws:kms:eu-west-1:2:key/k-9",
            "kms_encrypted": True,
            "s3_bucket_name": "central-logs",
            "s3_bucket_access_logging": None,
            "management_events": None,  # collected before the event selectors were: unknown
            "s3_object_events": None,
            "cloudwatch_logs_log_group_arn": "arn:aws:logs:eu-west-1:1:log-group:org-trail:*",
            "cloudwatch_logs_integrated": True,
            "metric_filters": None,
            "tags": {},
        },
    ),
    (
        "cloudtrail_trail",  # its log group's filters as the collector adds them: alarmed, subscribed or not
        {
            "Name": "watched",
            "CloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:1:log-group:trail:*",
            "MetricFilters": [
                {
                    "filterName": "root-usage",
                    "filterPattern": '{ $.userIdentity.type = "Root" }',
                    "metricTransformations": [{"metricName": "RootUsage", "metricNamespace": "CIS"}],
                    "Alarms": [
                        {"AlarmName": "quiet", "AlarmActions": ["arn:aws:sns:eu-west-1:1:nobody"], "SubscribedTopics": []},
                        {"AlarmName": "paged", "AlarmActions": ["arn:aws:sns:eu-west-1:1:security"],
                         "SubscribedTopics": ["arn:aws:sns:eu-west-1:1:security"]},
                    ],
                },
                {"filterName": "unwatched", "filterPattern": "", "Alarms": []},
                {"filterName": "unheard", "filterPattern": "ERROR", "Alarms": [{"AlarmName": "a", "SubscribedTopics": []}]},
                {
                    "filterName": "central",
                    "filterPattern": "ERROR",
                    "Alarms": [{"AlarmName": "b", "SubscribedTopics": [], "UnreadableTopics": ["arn:aws:sns:eu-west-1:2:sec"]}],
                },
            ],
        },
        {
            "name": "watched",
            "arn": None,
            "multi_region": False,
            "logging": None,
            "log_file_validation": False,
            "kms_key_id": None,
            "kms_encrypted": False,
            "s3_bucket_name": None,
            "s3_bucket_access_logging": None,
            "management_events": None,  # no selectors collected: unknown
            "s3_object_events": None,
            "cloudwatch_logs_log_group_arn": "arn:aws:logs:eu-west-1:1:log-group:trail:*",
            "cloudwatch_logs_integrated": True,
            "metric_filters": [
                {"name": "root-usage", "pattern": '{ $.userIdentity.type = "Root" }', "alarmed": True, "subscribed": True},
                {"name": "unwatched", "pattern": "", "alarmed": False, "subscribed": False},
                {"name": "unheard", "pattern": "ERROR", "alarmed": True, "subscribed": False},
                {"name": "central", "pattern": "ERROR", "alarmed": True, "subscribed": None},  # another account's topic
            ],
            "tags": {},
        },
    ),
    (
        "cloudtrail_account",  # moto: a trail with no selector set has none of either kind (AWS: the default)
        {
            "MultiRegionTrails": [
                {"Name": "plain", "TrailARN": "arn:aws:cloudtrail:us-east-1:1:trail/plain", "HomeRegion": "us-east-1",
                 "IsLogging": True, "EventSelectors": [], "AdvancedEventSelectors": []},
                {"Name": "data", "TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/data", "HomeRegion": "eu-west-1",
                 "IsLogging": False, "EventSelectors": [], "AdvancedEventSelectors": [
                     {"Name": "reads", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                          {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                                                          {"Field": "readOnly", "Equals": ["true"]}]},
                     {"Name": "writes", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                           {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                                                           {"Field": "readOnly", "NotEquals": ["true"]}]},
                     {"Name": "one bucket", "FieldSelectors": [
                         {"Field": "eventCategory", "Equals": ["Data"]},
                         {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                         {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::acme/"]}]},
                     {"Name": "management", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                                                               {"Field": "readOnly", "Equals": ["false"]}]},
                 ]},
            ],
            "Tags": [],
        },
        {
            "multi_region_trails": [
                {"name": "plain", "arn": "arn:aws:cloudtrail:us-east-1:1:trail/plain", "home_region": "us-east-1",
                 "logging": True, "management_events": "All", "s3_object_events": None},
                {"name": "data", "arn": "arn:aws:cloudtrail:eu-west-1:1:trail/data", "home_region": "eu-west-1",
                 "logging": False, "management_events": "WriteOnly", "s3_object_events": "All"},
            ]
        },
    ),
    (
        "access_analyzer",
        {
            "Analyzers": [{"arn": "arn:aws:access-analyzer:eu-west-1:1:analyzer/unused", "name": "unused",
                           "type": "ACCOUNT_UNUSED_ACCESS", "createdAt": "2025-01-01T00:00:00+00:00",
                           "status": "ACTIVE", "tags": {}}],
            "Tags": [],
        },
        {"analyzers": [{"name": "unused", "arn": "arn:aws:access-analyzer:eu-west-1:1:analyzer/unused",
                        "type": "ACCOUNT_UNUSED_ACCESS", "status": "ACTIVE"}]},
    ),
]


INVENTORY_CASES += [
    (
        "vpc",  # a flow log that failed to start does not count
        {
            "VpcId": "vpc-2",
            "IsDefault": True,
            "FlowLogs": [{"ResourceId": "vpc-2", "FlowLogStatus": "FAILED"}, {"ResourceId": "vpc-2", "FlowLogStatus": "ACTIVE"}],
            "Tags": [],
        },
        {"id": "vpc-2", "cidr_block": None, "is_default": True, "flow_logs_enabled": True, "tags": {}},
    ),
    (
        "network_acl",  # moto's default ACL: allow all and the final deny, inbound and outbound
        {
            "NetworkAclId": "acl-1",
            "VpcId": "vpc-1",
            "IsDefault": True,
            "Entries": [
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 110, "Protocol": "6", "RuleAction": "allow", "Egress": False, "Ipv6CidrBlock": "::/0",
                 "PortRange": {"From": 22, "To": 22}},
            ],
            "Tags": [],
        },
        {
            "id": "acl-1",
            "vpc_id": "vpc-1",
            "is_default": True,
            "ingress": [
                {"rule_number": 100, "action": "allow", "protocol": "all", "from_port": 0, "to_port": 65535,
                 "ipv4_ranges": ["0.0.0.0/0"], "ipv6_ranges": [], "internet_sources": ["0.0.0.0/0"]},
                {"rule_number": 110, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22,
                 "ipv4_ranges": [], "ipv6_ranges": ["::/0"], "internet_sources": ["::/0"]},
                {"rule_number": 32767, "action": "deny", "protocol": "all", "from_port": 0, "to_port": 65535,
                 "ipv4_ranges": ["0.0.0.0/0"], "ipv6_ranges": [], "internet_sources": ["0.0.0.0/0"]},
            ],
            "tags": {},
        },
    ),
    ("ebs_encryption_by_default", {"EbsEncryptionByDefault": False, "Tags": []}, {"enabled": False}),
    (
        "config_recorder",  # moto's shapes: camelCase; the status names the recorder it belongs to
        {
            "ConfigurationRecorders": [
                {"name": "main", "roleARN": "arn:aws:iam::1:role/config",
                 "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False}}
            ],
            "ConfigurationRecordersStatus": [{"name": "main", "recording": False, "lastStatus": "Pending"}],
            "Tags": [],
        },
        {"exists": True, "name": "main", "recording": False, "all_supported": False,
         "include_global_resource_types": False},
    ),
    (
        "config_recorder",
        {"ConfigurationRecorders": [], "ConfigurationRecordersStatus": [], "Tags": []},
        {"exists": False, "name": None, "recording": None, "all_supported": None, "include_global_resource_types": None},
    ),
    ("security_hub", {"Hub": None, "Tags": []}, {"enabled": False, "auto_enable_controls": None}),
    (
        "security_hub",
        {"Hub": {"HubArn": "arn:hub", "SubscribedAt": "2025-01-01T00:00:00Z", "AutoEnableControls": True}, "Tags": []},
        {"enabled": True, "auto_enable_controls": True},
    ),
    ("guardduty_detector", {"Detectors": [], "Tags": []}, {"exists": False, "enabled": None}),
    (
        "guardduty_detector",
        {"Detectors": [{"DetectorId": "d-1", "Status": "DISABLED"}], "Tags": []},
        {"exists": True, "enabled": False},
    ),
    (
        "efs_file_system",
        {"FileSystemId": "fs-1", "Name": "shared", "Encrypted": False, "LifeCycleState": "available",
         "Tags": [{"Key": "Name", "Value": "shared"}]},
        {"id": "fs-1", "name": "shared", "encrypted": False, "kms_key_id": None, "tags": {"Name": "shared"}},
    ),
]


def test_every_resource_type_has_a_mapping_case() -> None:
    assert {case[0] for case in INVENTORY_CASES} == RESOURCE_TYPES


@pytest.mark.parametrize(
    ("resource_type", "raw", "expected"), INVENTORY_CASES, ids=[c[0] for c in INVENTORY_CASES]
)
def test_inventory_document_is_normalised(
    resource_type: str, raw: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert from_inventory(resource_type, raw) == expected


def test_timestamps_accept_datetimes_and_naive_values_as_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    snapshot = {"SnapshotId": "s", "StartTime": datetime(2025, 1, 1, 12, tzinfo=plus_two), "Tags": []}
    assert from_inventory("ebs_snapshot", snapshot)["created_at"] == "2025-01-01T10:00:00Z"
    snapshot["StartTime"] = "2025-01-01 12:00:00"
    assert from_inventory("ebs_snapshot", snapshot)["created_at"] == "2025-01-01T12:00:00Z"


def test_imds_disabled_counts_as_not_exposing_imdsv1() -> None:
    raw = {
        "InstanceId": "i",
        "InstanceType": "t3.micro",
        "MetadataOptions": {"HttpTokens": "optional", "HttpEndpoint": "disabled"},
    }
    assert from_inventory("ec2_instance", raw)["imdsv2_required"] is True


def test_bucket_without_configurations_has_nothing_on() -> None:
    raw = {
        "Name": "b",
        "ServerSideEncryptionConfiguration": None,
        "Versioning": None,
        "PublicAccessBlockConfiguration": None,
    }
    doc = from_inventory("s3_bucket", raw)
    assert (
        doc["encryption_algorithm"],
        doc["versioning_enabled"],
        set(doc["public_access_block"].values()),
    ) == (
        None,
        False,
        {False},
    )


@pytest.mark.parametrize(
    ("resource_type", "raw", "message"),
    [
        ("ec2_instance", {"InstanceType": "t3.micro"}, "ec2_instance document has no InstanceId field"),
        (
            "ebs_snapshot",
            {"SnapshotId": "s", "StartTime": "yesterday"},
            "ebs_snapshot StartTime: 'yesterday' is not",
        ),
        ("dynamodb_table", {}, "unknown resource type 'dynamodb_table'"),
    ],
)
def test_bad_inventory_document_names_the_problem(
    resource_type: str, raw: dict[str, Any], message: str
) -> None:
    with pytest.raises(DocumentError, match=message.replace("(", r"\(")):
        from_inventory(resource_type, raw)


# ---------------------------------------------------------------------------------------------------------
# plans


def _change(
    address: str, after: dict[str, Any] | None, unknown: dict[str, Any] | None = None, **extra: Any
) -> dict:
    """A resource_changes entry as terraform show -json writes it (``module.m.`` sets module_address)."""
    *module, type_, name = address.split(".")
    change = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name.split("[")[0],
        "change": {"actions": ["create"], "after": after, "after_unknown": unknown or {}},
        **extra,
    }
    if module:
        change["module_address"] = ".".join(module)
    return change


def _plan(changes: list[dict], root_module: dict | None = None) -> dict:
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": changes,
        "configuration": {"root_module": root_module or {}},
    }


def _docs(plan: dict) -> dict[str, tuple[str, dict[str, Any]]]:
    return {address: (resource_type, doc) for address, resource_type, doc in from_plan(plan).documents}


def test_bucket_companions_join_by_known_name() -> None:
    plan = _plan(
        [
            _change(
                "aws_s3_bucket.logs", {"bucket": "acme-logs", "tags": {"team": "data"}}, {"tags_all": True}
            ),
            _change(
                "aws_s3_bucket_server_side_encryption_configuration.logs",
                {
                    "bucket": "acme-logs",
                    "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}],
                },
            ),
            _change(
                "aws_s3_bucket_versioning.other",
                {"bucket": "another-bucket", "versioning_configuration": [{"status": "Enabled"}]},
            ),
            _change("aws_s3_bucket_logging.logs", {"bucket": "acme-logs", "target_bucket": "audit"}),
            _change("aws_s3_bucket_acl.logs", {"bucket": "acme-logs", "acl": "public-read"}),
            _change(
                "aws_s3_bucket_policy.logs",
                {
                    "bucket": "acme-logs",
                    "policy": json.dumps(
                        {
                            "Statement": [
                                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
                                {
                                    "Effect": "Deny",
                                    "Principal": "*",
                                    "Action": "s3:*",
                                    "Condition": {"Bool": {"aws:SecureTransport": False}},
                                },
                            ]
                        }
                    ),
                },
            ),
        ]
    )
    assert _docs(plan) == {
        "aws_s3_bucket.logs": (
            "s3_bucket",
            {
                "name": "acme-logs",
                "region": None,
                "created_at": None,
                "encryption_algorithm": "AES256",
                "kms_key_id": None,
                "versioning_enabled": False,
                "mfa_delete_enabled": False,
                "public_access_block": dict.fromkeys(
                    [
                        "block_public_acls",
                        "ignore_public_acls",
                        "block_public_policy",
                        "restrict_public_buckets",
                    ],
                    False,
                ),
                "access_logging_enabled": True,
                "tls_required": True,
                "public_acl": True,
                "public_policy": True,
                "tags": {"team": "data"},
            },
        )
    }


def test_a_bucket_policy_known_only_on_apply_leaves_tls_and_public_policy_unknown() -> None:
    plan = _plan(
        [
            _change("aws_s3_bucket.logs", {"bucket": "acme-logs"}),
            _change("aws_s3_bucket_policy.logs", {"bucket": "acme-logs"}, {"policy": True}),
        ]
    )
    documents = from_plan(plan)
    [(_, _, document)] = documents.documents
    assert (document["tls_required"], document["public_policy"]) == (None, None)
    assert documents.unknown == {"aws_s3_bucket.logs": frozenset({"tls_required", "public_policy"})}


def test_companions_join_by_reference_within_module_and_count_index() -> None:
    buckets = [_change(f"module.store.aws_s3_bucket.b[{i}]", {"bucket": f"b{i}"}, index=i) for i in range(2)]
    versioning = [
        _change(
            f"module.store.aws_s3_bucket_versioning.v[{i}]",
            {"versioning_configuration": [{"status": "Enabled" if i else "Suspended"}]},
            {"bucket": True},
            index=i,
        )
        for i in range(2)
    ]
    root = {
        "module_calls": {
            "store": {
                "module": {
                    "resources": [
                        {"address": "aws_s3_bucket.b", "expressions": {}},
                        {
                            "address": "aws_s3_bucket_versioning.v",
                            "expressions": {
                                "bucket": {
                                    "references": ["aws_s3_bucket.b[count.index].id", "aws_s3_bucket.b"]
                                }
                            },
                        },
                    ]
                }
            }
        }
    }
    docs = _docs(_plan([*buckets, *versioning], root))
    assert {a: d["versioning_enabled"] for a, (_, d) in docs.items()} == {
        "module.store.aws_s3_bucket.b[0]": False,
        "module.store.aws_s3_bucket.b[1]": True,
    }


def test_security_group_collects_inline_and_separate_rules() -> None:
    plan = _plan(
        [
            _change(
                "aws_security_group.web",
                {
                    "id": "sg-1",
                    "name": "web",
                    "ingress": [],
                    "egress": [
                        {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}
                    ],
                },
            ),
            _change(
                "aws_security_group_rule.ssh",
                {
                    "type": "ingress",
                    "security_group_id": "sg-1",
                    "protocol": "6",
                    "from_port": 22,
                    "to_port": 22,
                    "cidr_blocks": ["0.0.0.0/0"],
                },
            ),
            _change(
                "aws_vpc_security_group_ingress_rule.rdp",
                {"ip_protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_ipv6": "::/0"},
                {"security_group_id": True},
            ),
            _change("aws_default_security_group.default", {"ingress": [], "egress": []}, {"id": True}),
        ],
        {
            "resources": [
                {
                    "address": "aws_vpc_security_group_ingress_rule.rdp",
                    "expressions": {
                        "security_group_id": {
                            "references": ["aws_security_group.web.id", "aws_security_group.web"]
                        }
                    },
                }
            ]
        },
    )
    docs = _docs(plan)
    web = docs["aws_security_group.web"][1]
    assert web["ingress"] == [
        {
            "protocol": "tcp",
            "from_port": 22,
            "to_port": 22,
            "ipv4_ranges": ["0.0.0.0/0"],
            "ipv6_ranges": [],
            "internet_sources": ["0.0.0.0/0"],
        },
        {
            "protocol": "tcp",
            "from_port": 3389,
            "to_port": 3389,
            "ipv4_ranges": [],
            "ipv6_ranges": ["::/0"],
            "internet_sources": ["::/0"],
        },
    ]
    assert web["egress"] == [_ALL_OUT]
    default = docs["aws_default_security_group.default"][1]
    assert (default["is_default"], default["name"], default["id"], default["ingress"]) == (
        True,
        "default",
        None,
        [],
    )


def test_network_acl_rules_flow_logs_and_recorder_status_join_their_parents() -> None:
    """Rule resources join their ACL by id (egress ones left out), a flow log its VPC by reference, a recorder
    status its recorder by name; a VPC without a flow log is unknown until apply, a recorder without a status
    records nothing."""
    vpc_id = {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}
    plan = _plan(
        [
            _change("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}, {"id": True}),
            _change("aws_vpc.quiet", {"cidr_block": "10.1.0.0/16"}, {"id": True}),
            _change("aws_flow_log.main", {"traffic_type": "ALL"}, {"vpc_id": True}),
            _change("aws_network_acl.edge", {
                "id": "acl-1",
                "ingress": [{"rule_no": 200, "action": "deny", "protocol": "-1", "from_port": 0, "to_port": 0,
                             "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": ""}],
            }),
            _change("aws_network_acl_rule.ssh", {
                "network_acl_id": "acl-1", "rule_number": 100, "egress": False, "protocol": "tcp",
                "rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22,
            }),
            _change("aws_network_acl_rule.out", {
                "network_acl_id": "acl-1", "rule_number": 100, "egress": True, "protocol": "-1",
                "rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 0, "to_port": 0,
            }),
            _change("aws_config_configuration_recorder.main", {"name": "main", "recording_group": [{}]}),
            _change("aws_config_configuration_recorder_status.main", {"name": "main", "is_enabled": True}),
            _change("aws_config_configuration_recorder.idle", {"name": "idle"}),
        ],
        {"resources": [{"address": "aws_flow_log.main", "expressions": vpc_id}]},
    )
    docs = _docs(plan)
    # a VPC without a flow log in the plan: unknown until apply (null in the document)
    assert (docs["aws_vpc.main"][1]["flow_logs_enabled"], docs["aws_vpc.quiet"][1]["flow_logs_enabled"]) == (
        True, None)
    assert docs["aws_network_acl.edge"][1]["ingress"] == [
        {"rule_number": 100, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22,
         "ipv4_ranges": ["0.0.0.0/0"], "ipv6_ranges": [], "internet_sources": ["0.0.0.0/0"]},
        {"rule_number": 200, "action": "deny", "protocol": "all", "from_port": 0, "to_port": 65535,
         "ipv4_ranges": ["0.0.0.0/0"], "ipv6_ranges": [], "internet_sources": ["0.0.0.0/0"]},
    ]
    # an empty recording_group block takes the provider's defaults: all types, no global ones
    assert docs["aws_config_configuration_recorder.main"][1] == {
        "exists": True, "name": "main", "recording": True, "all_supported": True,
        "include_global_resource_types": False,
    }
    assert docs["aws_config_configuration_recorder.idle"][1]["recording"] is False


def test_iam_user_gets_login_profile_keys_policies_and_unknown_mfa() -> None:
    plan = _plan(
        [
            _change("aws_iam_user.alice", {"name": "alice", "tags": None}, {"arn": True}),
            _change("aws_iam_user_login_profile.alice", {"user": "alice"}),
            _change("aws_iam_access_key.a", {"user": "alice", "status": "Active"}),
            _change("aws_iam_access_key.b", {"user": "alice", "status": "Inactive"}),
            _change("aws_iam_user_policy_attachment.read",
                    {"user": "alice", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            _change("aws_iam_user_policy_attachment.own", {"user": "alice"}, {"policy_arn": True}),
            _change("aws_iam_user_policy.local", {"user": "alice", "name": "local"}),
        ]
    )
    assert _docs(plan)["aws_iam_user.alice"] == (
        "iam_user",
        {
            "name": "alice",
            "arn": None,
            "created_at": None,
            "password_enabled": True,
            "password_last_used_at": None,
            "mfa_enabled": None,
            "access_keys": [
                {"id": None, "active": True, "created_at": None, "last_used_at": None},
                {"id": None, "active": False, "created_at": None, "last_used_at": None},
            ],
            "attached_policies": ["arn:aws:iam::aws:policy/ReadOnlyAccess", None],
            "inline_policies": ["local"],
            "tags": {},
        },
    )


def test_unknown_values_are_null_and_known_defaults_carry_over() -> None:
    trust = json.dumps(
        {
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]
        }
    )
    plan = _plan(
        [
            _change(
                "aws_ebs_volume.v",
                {"size": 10, "tags": {"team": "a"}},
                {"encrypted": True, "type": True, "tags_all": True},
            ),
            _change(
                "aws_instance.i",
                {"instance_type": "t3.micro"},
                {"associate_public_ip_address": True, "metadata_options": True},
            ),
            _change("aws_iam_role.r", {"name": "r", "assume_role_policy": trust}),
            _change("aws_kms_key.k", {"enable_key_rotation": False, "is_enabled": True}),
            _change(
                "aws_lb.l",
                {"name": "l", "internal": False, "load_balancer_type": "network", "subnets": ["s-1"]},
            ),
        ]
    )
    docs = _docs(plan)
    assert docs["aws_ebs_volume.v"][1] == {
        "id": None,
        "size_gb": 10,
        "volume_type": None,
        "encrypted": None,
        "state": None,
        "created_at": None,
        "tags": {"team": "a"},
    }
    instance = docs["aws_instance.i"][1]
    assert (instance["instance_family"], instance["has_public_ip"], instance["imdsv2_required"]) == (
        "t3",
        None,
        None,
    )
    assert docs["aws_iam_role.r"][1]["trust_statements"] == [
        {
            "effect": "Allow",
            "principals": {"Service": ["ec2.amazonaws.com"]},
            "actions": ["sts:AssumeRole"],
            "has_condition": False,
        }
    ]
    key = docs["aws_kms_key.k"][1]
    assert (key["manager"], key["state"], key["spec"], key["rotation_enabled"]) == (
        "CUSTOMER",
        "Enabled",
        "SYMMETRIC_DEFAULT",
        False,
    )
    balancer = docs["aws_lb.l"][1]
    assert (balancer["scheme"], balancer["type"], balancer["zone_count"]) == ("internet-facing", "network", 1)


def test_deleted_data_and_unsupported_resources() -> None:
    deleted = _change("aws_s3_bucket.old", None)
    deleted["change"]["actions"] = ["delete"]
    data = _change("aws_s3_bucket.lookup", {"bucket": "x"}, mode="data")
    plan = _plan([deleted, data, _change("aws_sqs_queue.q", {"name": "q"})])
    result = from_plan(plan)
    assert (result.documents, result.skipped) == ([], [("aws_sqs_queue.q", "aws_sqs_queue")])


def test_fixture_plans_map_every_supported_resource() -> None:
    failing = from_plan(json.loads((FIXTURES / "public_unencrypted_bucket.plan.json").read_text()))
    assert [(a, t) for a, t, _ in failing.documents] == [
        ("aws_s3_bucket.public", "s3_bucket"), ("aws_cloudwatch_log_group.app", "cloudwatch_log_group")]
    assert failing.skipped == [("aws_sqs_queue.jobs", "aws_sqs_queue")]
    compliant = from_plan(json.loads((FIXTURES / "compliant.plan.json").read_text()))
    assert sorted(t for _, t, _ in compliant.documents) == [
        "ebs_volume",
        "ec2_instance",
        "kms_key",
        "rds_instance",
        "s3_bucket",
        "security_group",
    ]


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([], "top level is list, expected the JSON of `terraform show -json PLANFILE`"),
        ({"resource_changes": []}, "no format_version; expected"),
        ({"format_version": "2.0", "resource_changes": []}, "unsupported format_version '2.0'; expected"),
        ({"format_version": 1.2, "resource_changes": []}, "unsupported format_version 1.2; expected"),
        (
            {"format_version": "1.0", "values": {}},
            r"this is a state \(`terraform show -json` without a plan file\)",
        ),
        ({"format_version": "1.2", "resource_changes": {}}, "resource_changes is not a list"),
        (
            {"format_version": "1.2", "resource_changes": [{"type": "aws_s3_bucket"}]},
            r"resource_changes\[0\] has no address",
        ),
    ],
)
def test_bad_plan_says_what_was_expected(plan: Any, message: str) -> None:
    with pytest.raises(PlanFormatError, match=message):
        from_plan(plan, "plan.json")


def test_log_group_takes_the_provider_defaults_and_an_unknown_key_stays_unknown() -> None:
    plan = _plan(
        [
            _change("aws_cloudwatch_log_group.plain", {"name": "/app/plain"}, {"arn": True}),
            _change("aws_cloudwatch_log_group.keyed", {"name": "/app/keyed", "retention_in_days": 90},
                    {"kms_key_id": True}),
        ]
    )
    docs = _docs(plan)
    assert docs["aws_cloudwatch_log_group.plain"] == (
        "cloudwatch_log_group",
        {"name": "/app/plain", "arn": None, "kms_key_id": None, "kms_encrypted": False, "retention_days": 0,
         "tags": {}},
    )
    keyed = docs["aws_cloudwatch_log_group.keyed"][1]
    assert (keyed["kms_key_id"], keyed["kms_encrypted"], keyed["retention_days"]) == (None, None, 90)
    unknown = from_plan(plan).unknown
    assert unknown["aws_cloudwatch_log_group.keyed"] == {"kms_key_id", "kms_encrypted"}
    assert unknown["aws_cloudwatch_log_group.plain"] == {"arn"}


def test_trail_takes_the_provider_defaults_and_its_bucket_logging_is_known_on_apply() -> None:
    plan = _plan([_change("aws_cloudtrail.main", {"name": "main", "s3_bucket_name": "acme-trail"}, {"arn": True})])
    assert _docs(plan)["aws_cloudtrail.main"] == (
        "cloudtrail_trail",
        {
            "name": "main",
            "arn": None,
            "multi_region": False,
            "logging": True,
            "log_file_validation": False,
            "kms_key_id": None,
            "kms_encrypted": False,
            "s3_bucket_name": "acme-trail",
            "s3_bucket_access_logging": None,
            "management_events": "All",  # no event selector block: AWS's default selector
            "s3_object_events": None,
            "cloudwatch_logs_log_group_arn": None,
            "cloudwatch_logs_integrated": False,
            "metric_filters": [],
            "tags": {},
        },
    )
    assert from_plan(plan).unknown["aws_cloudtrail.main"] == {"arn", "s3_bucket_access_logging"}


def test_trail_event_selector_blocks_are_judged_as_the_api_shapes() -> None:
    s3_reads = [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                {"field": "readOnly", "equals": ["true"], "not_equals": None}]
    plan = _plan([
        _change("aws_cloudtrail.classic", {"name": "classic", "event_selector": [
            {"read_write_type": "WriteOnly", "include_management_events": False,
             "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]},
            {"read_write_type": None, "include_management_events": None, "data_resource": []},
        ]}),
        _change("aws_cloudtrail.advanced", {"name": "advanced", "advanced_event_selector": [
            {"name": "s3 reads", "field_selector": s3_reads},
        ]}),
    ])
    documents = _docs(plan)
    events = {address: (documents[address][1]["management_events"], documents[address][1]["s3_object_events"])
              for address in ("aws_cloudtrail.classic", "aws_cloudtrail.advanced")}
    # read_write_type defaults to All, include_management_events to true; advanced selectors replace the default
    assert events == {"aws_cloudtrail.classic": ("All", "WriteOnly"), "aws_cloudtrail.advanced": (None, "ReadOnly")}
    dynamic = _plan([_change("aws_cloudtrail.dynamic", {"name": "dynamic"}, {"advanced_event_selector": True})])
    assert from_plan(dynamic).unknown["aws_cloudtrail.dynamic"] == {"management_events", "s3_object_events",
                                                                  "s3_bucket_access_logging"}


def test_a_declared_analyzer_is_one_active_analyzer_of_its_type() -> None:
    plan = _plan([_change("aws_accessanalyzer_analyzer.unused", {"analyzer_name": "unused", "type": "ACCOUNT_UNUSED_ACCESS"},
                          {"arn": True}),
                  _change("aws_accessanalyzer_analyzer.external", {"analyzer_name": "external"})])
    documents = _docs(plan)
    assert documents["aws_accessanalyzer_analyzer.unused"] == (
        "access_analyzer", {"analyzers": [{"name": "unused", "arn": None, "type": "ACCOUNT_UNUSED_ACCESS", "status": "ACTIVE"}]})
    assert documents["aws_accessanalyzer_analyzer.external"][1]["analyzers"][0]["type"] == "ACCOUNT"  # the default
    assert from_plan(plan).unknown == {}  # the ARN is no finding's concern
    typed_on_apply = _plan([_change("aws_accessanalyzer_analyzer.any", {"analyzer_name": "any"}, {"type": True})])
    assert from_plan(typed_on_apply).unknown == {"aws_accessanalyzer_analyzer.any": {"analyzers"}}
