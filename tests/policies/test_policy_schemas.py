"""The declared document schemas, and the parity of the two mappers with them: for every resource type,
the inventory mapper and the plan mapper produce exactly the schema's keys, nested ones included, and
documents that validate against it, whether the source gives every attribute or none."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policies.documents import RESOURCE_TYPES, from_inventory, from_plan, inventory, plan
from policies.documents.fields import PUBLIC_GRANTEES
from policies.documents.schemas import SCHEMA_DIR, schema, schema_error

TAGS = [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": ""}]
TRUST = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com", "AWS": ["arn:aws:iam::1:root"]},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "x"}},
        }
    ]
}
BUCKET_POLICY = {
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::logs/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
}

# resource type -> (raw inventory document with every attribute, with only the identifying ones)
INVENTORY_INPUTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "network_acl": (
        {
            "NetworkAclId": "acl-1",
            "VpcId": "vpc-1",
            "IsDefault": True,
            "Entries": [
                {"RuleNumber": 100, "RuleAction": "allow", "Protocol": "6", "Egress": False,
                 "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}},
                {"RuleNumber": 100, "RuleAction": "allow", "Protocol": "-1", "Egress": True, "CidrBlock": "0.0.0.0/0"},
            ],
            "Tags": TAGS,
        },
        {"NetworkAclId": "acl-1"},
    ),
    "ebs_encryption_by_default": ({"EbsEncryptionByDefault": True, "Tags": []}, {"EbsEncryptionByDefault": False}),
    "config_recorder": (
        {
            "ConfigurationRecorders": [
                {"name": "default", "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}
            ],
            "ConfigurationRecordersStatus": [{"name": "default", "recording": True}],
            "Tags": [],
        },
        {"ConfigurationRecorders": []},
    ),
    "security_hub": (
        {"Hub": {"HubArn": "arn:aws:securityhub:eu-west-1:1:hub/default", "AutoEnableControls": True}, "Tags": []},
        {"Hub": None},
    ),
    "guardduty_detector": (
        {"Detectors": [{"DetectorId": "d-1", "Status": "ENABLED"}], "Tags": []},
        {"Detectors": []},
    ),
    "efs_file_system": (
        {"FileSystemId": "fs-1", "Name": "shared", "Encrypted": True, "KmsKeyId": "arn:kms", "Tags": TAGS},
        {"FileSystemId": "fs-1"},
    ),
    "cloudtrail_account": (
        {"MultiRegionTrails": [{"Name": "org", "TrailARN": "arn:aws:cloudtrail:eu-west-1:2:trail/org",
                                "HomeRegion": "eu-west-1", "IsLogging": True, "EventSelectors": [],
                                "AdvancedEventSelectors": [{"FieldSelectors": [
                                    {"Field": "eventCategory", "Equals": ["Management"]}]}]}], "Tags": []},
        {"MultiRegionTrails": [{"Name": "org"}]},
    ),
    "access_analyzer": (
        {"Analyzers": [{"name": "external", "arn": "arn:aws:access-analyzer:eu-west-1:1:analyzer/external",
                        "type": "ACCOUNT", "status": "ACTIVE", "createdAt": "2025-01-01T00:00:00+00:00",
                        "tags": {}}], "Tags": []},
        {"Analyzers": []},
    ),
    "ec2_instance": (
        {
            "InstanceId": "i-1",
            "InstanceType": "t3.micro",
            "State": {"Name": "running"},
            "LaunchTime": "2025-01-02T03:04:05+00:00",
            "PublicIpAddress": "54.0.0.1",
            "MetadataOptions": {"HttpTokens": "required"},
            "RootDeviceName": "/dev/xvda",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeId": "vol-1", "Encrypted": True}}],
            "Monitoring": {"State": "enabled"},
            "IamInstanceProfile": {"Arn": "arn:aws:iam::1:instance-profile/app"},
            "Tags": TAGS,
        },
        {"InstanceId": "i-1", "InstanceType": "t3.micro"},
    ),
    "ebs_volume": (
        {
            "VolumeId": "vol-1",
            "Size": 8,
            "VolumeType": "gp3",
            "Encrypted": True,
            "State": "in-use",
            "CreateTime": "2025-01-02T03:04:05+00:00",
            "Tags": TAGS,
        },
        {"VolumeId": "vol-1"},
    ),
    "ebs_snapshot": (
        {
            "SnapshotId": "snap-1",
            "VolumeId": "vol-1",
            "VolumeSize": 8,
            "Encrypted": True,
            "StartTime": "2025-01-02T03:04:05+00:00",
            "Tags": TAGS,
        },
        {"SnapshotId": "snap-1"},
    ),
    "elastic_ip": (
        {"AllocationId": "eipalloc-1", "PublicIp": "54.0.0.2", "AssociationId": "eipassoc-1", "Tags": TAGS},
        {"PublicIp": "54.0.0.2"},
    ),
    "security_group": (
        {
            "GroupId": "sg-1",
            "GroupName": "web",
            "VpcId": "vpc-1",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                }
            ],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "Tags": TAGS,
        },
        {"GroupId": "sg-1"},
    ),
    "vpc": (
        {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "IsDefault": True, "Tags": TAGS,
         "FlowLogs": [{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE"}]},
        {"VpcId": "vpc-1"},
    ),
    "subnet": (
        {
            "SubnetId": "subnet-1",
            "VpcId": "vpc-1",
            "CidrBlock": "10.0.1.0/24",
            "MapPublicIpOnLaunch": True,
            "Tags": TAGS,
        },
        {"SubnetId": "subnet-1"},
    ),
    "s3_bucket": (
        {
            "Name": "logs",
            "BucketRegion": "eu-west-1",
            "CreationDate": "2025-01-02T03:04:05+00:00",
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"}}
                ]
            },
            "Versioning": {"Status": "Enabled", "MFADelete": "Enabled"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
            "LoggingEnabled": {"TargetBucket": "audit", "TargetPrefix": "logs/"},
            "Policy": json.dumps(BUCKET_POLICY),
            "Grants": [{"Grantee": {"Type": "Group", "URI": PUBLIC_GRANTEES[0]}, "Permission": "READ"}],
            "Tags": TAGS,
        },
        {"Name": "logs"},
    ),
    "rds_instance": (
        {
            "DBInstanceIdentifier": "db-1",
            "Engine": "postgres",
            "DBInstanceClass": "db.t3.micro",
            "StorageEncrypted": True,
            "PubliclyAccessible": False,
            "BackupRetentionPeriod": 7,
            "MultiAZ": True,
            "DeletionProtection": True,
            "AutoMinorVersionUpgrade": True,
            "IAMDatabaseAuthenticationEnabled": True,
            "EnabledCloudwatchLogsExports": ["postgresql", "upgrade"],
            "MonitoringInterval": 60,
            "PerformanceInsightsEnabled": True,
            "CopyTagsToSnapshot": True,
            "Tags": TAGS,
        },
        {"DBInstanceIdentifier": "db-1"},
    ),
    "iam_user": (
        {
            "UserName": "alice",
            "Arn": "arn:aws:iam::1:user/alice",
            "CreateDate": "2025-01-02T03:04:05+00:00",
            "LoginProfile": {"CreateDate": "2025-01-02T03:04:05+00:00"},
            "PasswordLastUsed": "2025-02-02T03:04:05+00:00",
            "MFADevices": [{"SerialNumber": "arn:aws:iam::1:mfa/alice"}],
            "AccessKeys": [
                {
                    "AccessKeyId": "AKIA1",
                    "Status": "Active",
                    "CreateDate": "2025-01-02T03:04:05+00:00",
                    "LastUsedDate": "2025-02-02T03:04:05+00:00",
                }
            ],
            "AttachedPolicies": [{"PolicyName": "reports", "PolicyArn": "arn:aws:iam::1:policy/reports"}],
            "PolicyNames": ["inline"],
            "Tags": TAGS,
        },
        {"UserName": "alice"},
    ),
    "iam_account": (
        {
            "AccountSummary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0},
            "RootUser": {"user": "<root_account>", "password_last_used": "2025-02-02T03:04:05+00:00",
                         "access_key_1_last_used_date": "N/A", "access_key_2_last_used_date": "N/A"},
            "RootVirtualMFADevice": "arn:aws:iam::1:mfa/root-account-mfa-device",
            "SupportRoles": ["support"],
            "Tags": [],
        },
        {"AccountSummary": {}},
    ),
    "iam_policy": (
        {
            "PolicyName": "admin",
            "Arn": "arn:aws:iam::1:policy/admin",
            "AttachmentCount": 1,
            "Document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
            "Tags": TAGS,
        },
        {"PolicyName": "admin"},
    ),
    "iam_server_certificate": (
        {
            "ServerCertificateName": "web",
            "Arn": "arn:aws:iam::1:server-certificate/web",
            "Expiration": "2025-01-02T03:04:05+00:00",
        },
        {"ServerCertificateName": "web"},
    ),
    "iam_role": (
        {
            "RoleName": "app",
            "Arn": "arn:aws:iam::1:role/app",
            "Path": "/service/",
            "CreateDate": "2025-01-02T03:04:05+00:00",
            "AssumeRolePolicyDocument": TRUST,
            "Tags": TAGS,
        },
        {"RoleName": "app"},
    ),
    "lambda_function": (
        {
            "FunctionName": "fn",
            "FunctionArn": "arn:aws:lambda:eu-west-1:1:function:fn",
            "Runtime": "python3.12",
            "PackageType": "Zip",
            "Tags": TAGS,
        },
        {"FunctionName": "fn"},
    ),
    "load_balancer": (
        {
            "LoadBalancerName": "web",
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/1",
            "Type": "application",
            "Scheme": "internet-facing",
            "AvailabilityZones": [{"ZoneName": "eu-west-1a"}, {"ZoneName": "eu-west-1b"}],
            "Tags": TAGS,
        },
        {"LoadBalancerName": "web"},
    ),
    "iam_password_policy": (
        {
            "PasswordPolicy": {
                "MinimumPasswordLength": 14,
                "RequireSymbols": True,
                "RequireNumbers": True,
                "RequireUppercaseCharacters": True,
                "RequireLowercaseCharacters": True,
                "AllowUsersToChangePassword": True,
                "ExpirePasswords": True,
                "MaxPasswordAge": 90,
                "PasswordReusePrevention": 24,
                "HardExpiry": False,
            },
            "Tags": [],
        },
        {"PasswordPolicy": None},
    ),
    "kms_key": (
        {
            "KeyId": "k-1",
            "Arn": "arn:aws:kms:eu-west-1:1:key/k-1",
            "KeyManager": "CUSTOMER",
            "KeyState": "Enabled",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyRotationEnabled": True,
            "Tags": TAGS,
        },
        {"KeyId": "k-1"},
    ),
    "cloudwatch_log_group": (
        {
            "logGroupName": "/app/api",
            "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api:*",
            "logGroupArn": "arn:aws:logs:eu-west-1:1:log-group:/app/api",
            "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/k-1",
            "retentionInDays": 365,
            "Tags": TAGS,
        },
        {"logGroupName": "/app/api"},
    ),
    "cloudtrail_trail": (
        {
            "Name": "management",
            "TrailARN": "arn:aws:cloudtrail:eu-west-1:1:trail/management",
            "IsMultiRegionTrail": True,
            "IsLogging": True,
            "LogFileValidationEnabled": True,
            "KmsKeyId": "arn:aws:kms:eu-west-1:1:key/k-1",
            "S3BucketName": "acme-trail",
            "S3BucketLogging": {"LoggingEnabled": {"TargetBucket": "acme-access", "TargetPrefix": "trail/"}},
            "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [
                {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}],
            "AdvancedEventSelectors": [],
            "CloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:1:log-group:/app/api:*",
            "MetricFilters": [
                {
                    "filterName": "root-usage",
                    "filterPattern": '{ $.userIdentity.type = "Root" }',
                    "Alarms": [{"AlarmName": "root-usage", "SubscribedTopics": ["arn:aws:sns:eu-west-1:1:security"]}],
                }
            ],
            "Tags": TAGS,
        },
        {"Name": "management"},
    ),
}

# Terraform type -> planned ``after`` with every attribute the mapper reads (companions point at parents)
PLAN_AFTER: dict[str, dict[str, Any]] = {
    "aws_flow_log": {"vpc_id": "vpc-1", "traffic_type": "ALL"},
    "aws_network_acl": {
        "id": "acl-1",
        "vpc_id": "vpc-1",
        "ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443,
                     "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": ""}],
        "tags_all": {"env": "prod"},
    },
    "aws_default_network_acl": {"id": "acl-0", "default_network_acl_id": "acl-0", "ingress": []},
    "aws_network_acl_rule": {"network_acl_id": "acl-1", "rule_number": 200, "egress": False, "protocol": "-1",
                             "rule_action": "allow", "cidr_block": "10.0.0.0/8", "from_port": 0, "to_port": 0},
    "aws_ebs_encryption_by_default": {"enabled": True},
    "aws_config_configuration_recorder": {
        "name": "default",
        "recording_group": [{"all_supported": True, "include_global_resource_types": True}],
    },
    "aws_config_configuration_recorder_status": {"name": "default", "is_enabled": True},
    "aws_securityhub_account": {"auto_enable_controls": True},
    "aws_guardduty_detector": {"enable": True},
    "aws_efs_file_system": {"id": "fs-1", "encrypted": True, "kms_key_id": "arn:kms", "tags_all": {"Name": "shared"}},
    "aws_instance": {
        "id": "i-1",
        "instance_type": "t3.micro",
        "associate_public_ip_address": False,
        "metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}],
        "root_block_device": [{"encrypted": True}],
        "monitoring": True,
        "iam_instance_profile": "app",
        "tags": {"env": "prod"},
        "tags_all": {"env": "prod", "owner": ""},
    },
    "aws_ebs_volume": {"id": "vol-1", "size": 8, "type": "gp3", "encrypted": True},
    "aws_ebs_snapshot": {"id": "snap-1", "volume_id": "vol-1", "volume_size": 8, "encrypted": True},
    "aws_ebs_snapshot_copy": {"id": "snap-2", "volume_id": "vol-1", "volume_size": 8, "encrypted": True},
    "aws_eip": {"allocation_id": "eipalloc-1", "public_ip": "54.0.0.2", "instance": "i-1"},
    "aws_security_group": {
        "id": "sg-1",
        "name": "web",
        "vpc_id": "vpc-1",
        "ingress": [
            {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
        ],
        "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "ipv6_cidr_blocks": ["::/0"]}],
    },
    "aws_security_group_rule": {
        "security_group_id": "sg-1",
        "type": "ingress",
        "protocol": "tcp",
        "from_port": 22,
        "to_port": 22,
        "cidr_blocks": ["10.0.0.0/8"],
    },
    "aws_vpc_security_group_ingress_rule": {
        "security_group_id": "sg-1",
        "ip_protocol": "-1",
        "cidr_ipv6": "::/0",
    },
    "aws_vpc_security_group_egress_rule": {
        "security_group_id": "sg-1",
        "ip_protocol": "udp",
        "from_port": 53,
        "to_port": 53,
        "cidr_ipv4": "0.0.0.0/0",
    },
    "aws_default_security_group": {"id": "sg-2", "vpc_id": "vpc-1", "ingress": [], "egress": []},
    "aws_vpc": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"},
    "aws_default_vpc": {"id": "vpc-0", "cidr_block": "172.31.0.0/16"},
    "aws_default_subnet": {"id": "subnet-0", "vpc_id": "vpc-0", "cidr_block": "172.31.0.0/20"},
    "aws_subnet": {
        "id": "subnet-1",
        "vpc_id": "vpc-1",
        "cidr_block": "10.0.1.0/24",
        "map_public_ip_on_launch": True,
    },
    "aws_s3_bucket": {"bucket": "logs", "id": "logs", "region": "eu-west-1"},
    "aws_s3_bucket_server_side_encryption_configuration": {
        "bucket": "logs",
        "rule": [
            {
                "apply_server_side_encryption_by_default": [
                    {"sse_algorithm": "aws:kms", "kms_master_key_id": "k"}
                ]
            }
        ],
    },
    "aws_s3_bucket_versioning": {
        "bucket": "logs",
        "versioning_configuration": [{"status": "Enabled", "mfa_delete": "Disabled"}],
    },
    "aws_s3_bucket_public_access_block": {
        "bucket": "logs",
        "block_public_acls": True,
        "ignore_public_acls": True,
        "block_public_policy": True,
        "restrict_public_buckets": True,
    },
    "aws_s3_bucket_logging": {"bucket": "logs", "target_bucket": "audit", "target_prefix": "logs/"},
    "aws_s3_bucket_policy": {"bucket": "logs", "policy": json.dumps(BUCKET_POLICY)},
    "aws_s3_bucket_acl": {
        "bucket": "logs",
        "access_control_policy": [{"grant": [{"grantee": [{"type": "Group", "uri": PUBLIC_GRANTEES[0]}]}]}],
    },
    "aws_db_instance": {
        "identifier": "db-1",
        "engine": "postgres",
        "instance_class": "db.t3.micro",
        "storage_encrypted": True,
        "publicly_accessible": False,
        "backup_retention_period": 7,
        "multi_az": True,
        "deletion_protection": True,
        "auto_minor_version_upgrade": True,
        "iam_database_authentication_enabled": True,
        "enabled_cloudwatch_logs_exports": ["postgresql"],
        "monitoring_interval": 60,
        "performance_insights_enabled": True,
        "copy_tags_to_snapshot": True,
    },
    "aws_iam_user": {"name": "alice", "arn": "arn:aws:iam::1:user/alice"},
    "aws_iam_user_login_profile": {"user": "alice"},
    "aws_iam_access_key": {"user": "alice", "status": "Active"},
    "aws_iam_user_policy_attachment": {"user": "alice", "policy_arn": "arn:aws:iam::1:policy/reports"},
    "aws_iam_user_policy": {"user": "alice", "name": "inline"},
    "aws_iam_policy": {
        "name": "admin",
        "arn": "arn:aws:iam::1:policy/admin",
        "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    },
    "aws_iam_server_certificate": {
        "name": "web",
        "arn": "arn:aws:iam::1:server-certificate/web",
        "expiration": "2025-01-02T03:04:05Z",
    },
    "aws_iam_role": {
        "name": "app",
        "arn": "arn:aws:iam::1:role/app",
        "path": "/service/",
        "assume_role_policy": json.dumps(TRUST),
    },
    "aws_lambda_function": {
        "function_name": "fn",
        "arn": "arn:aws:lambda:eu-west-1:1:function:fn",
        "runtime": "python3.12",
        "package_type": "Zip",
    },
    "aws_lb": {
        "name": "web",
        "arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/1",
        "load_balancer_type": "application",
        "internal": False,
        "subnets": ["subnet-1", "subnet-2"],
    },
    "aws_elb": {
        "name": "classic",
        "arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/classic",
        "internal": False,
        "availability_zones": ["eu-west-1a", "eu-west-1b"],
    },
    "aws_alb": {
        "name": "old",
        "load_balancer_type": "application",
        "internal": True,
        "subnets": ["subnet-1"],
    },
    "aws_iam_account_password_policy": {
        "minimum_password_length": 14,
        "password_reuse_prevention": 24,
        "require_symbols": True,
        "require_numbers": True,
        "require_uppercase_characters": True,
        "require_lowercase_characters": True,
        "max_password_age": 90,
    },
    "aws_kms_key": {
        "key_id": "k-1",
        "arn": "arn:aws:kms:eu-west-1:1:key/k-1",
        "is_enabled": True,
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "enable_key_rotation": True,
    },
    "aws_cloudwatch_log_group": {
        "name": "/app/api",
        "arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api",
        "kms_key_id": "arn:aws:kms:eu-west-1:1:key/k-1",
        "retention_in_days": 365,
    },
    "aws_cloudtrail": {
        "name": "management",
        "arn": "arn:aws:cloudtrail:eu-west-1:1:trail/management",
        "is_multi_region_trail": True,
        "enable_logging": True,
        "enable_log_file_validation": True,
        "kms_key_id": "arn:aws:kms:eu-west-1:1:key/k-1",
        "s3_bucket_name": "acme-trail",
        "event_selector": [{"read_write_type": "All", "include_management_events": True,
                            "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}],
        "advanced_event_selector": [],
        "cloud_watch_logs_group_arn": "arn:aws:logs:eu-west-1:1:log-group:/app/api:*",
    },
    "aws_accessanalyzer_analyzer": {
        "analyzer_name": "external",
        "arn": "arn:aws:access-analyzer:eu-west-1:1:analyzer/external",
        "type": "ACCOUNT",
    },
    "aws_cloudwatch_log_metric_filter": {
        "name": "root-usage",
        "log_group_name": "/app/api",
        "pattern": '{ $.userIdentity.type = "Root" }',
        "metric_transformation": [{"name": "RootUsage", "namespace": "CIS", "value": "1"}],
    },
    "aws_cloudwatch_metric_alarm": {
        "metric_name": "RootUsage",
        "namespace": "CIS",
        "alarm_actions": ["arn:aws:sns:eu-west-1:1:security"],
    },
    "aws_sns_topic_subscription": {"topic_arn": "arn:aws:sns:eu-west-1:1:security", "protocol": "sqs"},
}


def _plan(after: dict[str, dict[str, Any]], unknown: bool = False) -> dict[str, Any]:
    """A plan creating one resource of each Terraform type; ``unknown``: every attribute known on apply."""
    return {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": f"{type_}.this",
                "type": type_,
                "name": "this",
                "change": {
                    "actions": ["create"],
                    "after": attributes,
                    "after_unknown": {key: True for key in attributes} if unknown else {},
                },
            }
            for type_, attributes in after.items()
        ],
    }


PLANS = {
    "every attribute": _plan(PLAN_AFTER),
    "no attribute": _plan({type_: {} for type_ in PLAN_AFTER}),
    "every attribute unknown": _plan(PLAN_AFTER, unknown=True),
}


def _key_mismatches(value: Any, declared: dict[str, Any], path: str) -> list[str]:
    """Where the value's object keys differ from the declared properties, recursively."""
    if isinstance(value, dict) and "properties" in declared:
        keys, expected = set(value), set(declared["properties"])
        problems = [f"{path}: missing {sorted(expected - keys)}"] if expected - keys else []
        problems += [f"{path}: undeclared {sorted(keys - expected)}"] if keys - expected else []
        for key in sorted(keys & expected):
            problems += _key_mismatches(value[key], declared["properties"][key], f"{path}.{key}")
        return problems
    if isinstance(value, list) and "items" in declared:
        items = declared["items"]
        return [p for i, item in enumerate(value) for p in _key_mismatches(item, items, f"{path}[{i}]")]
    return []


def _assert_matches_schema(resource_type: str, document: dict[str, Any], where: str) -> None:
    assert _key_mismatches(document, schema(resource_type), where) == []
    assert schema_error(resource_type, document) is None, where


def test_one_schema_per_resource_type_and_both_mappers_cover_them_all() -> None:
    assert {path.name for path in SCHEMA_DIR.iterdir()} == {f"{t}.json" for t in RESOURCE_TYPES}
    assert set(inventory.MAPPERS) == RESOURCE_TYPES == set(INVENTORY_INPUTS)
    assert {resource_type for resource_type, _ in plan.MAPPERS.values()} == RESOURCE_TYPES - plan.INVENTORY_ONLY
    assert set(PLAN_AFTER) == plan.PLAN_RESOURCE_TYPES


def _closed_objects(declared: dict[str, Any], path: str) -> list[str]:
    """Object schemas that do not require every property or admit undeclared ones."""
    problems = []
    if "properties" in declared:
        required_all = declared.get("required") == list(declared["properties"])
        if not required_all or declared.get("additionalProperties") is not False:
            problems.append(path)
        for key, value in declared["properties"].items():
            problems += _closed_objects(value, f"{path}.{key}")
    if isinstance(declared.get("items"), dict):
        problems += _closed_objects(declared["items"], f"{path}[]")
    return problems


@pytest.mark.parametrize("resource_type", sorted(RESOURCE_TYPES))
def test_schema_requires_exactly_its_properties(resource_type: str) -> None:
    assert _closed_objects(schema(resource_type), resource_type) == []


@pytest.mark.parametrize("resource_type", sorted(RESOURCE_TYPES))
def test_inventory_mapper_produces_exactly_the_schema(resource_type: str) -> None:
    full, minimal = INVENTORY_INPUTS[resource_type]
    for name, raw in (("every attribute", full), ("only the identifier", minimal)):
        _assert_matches_schema(resource_type, from_inventory(resource_type, raw), f"{resource_type} ({name})")


@pytest.mark.parametrize("variant", sorted(PLANS))
def test_plan_mapper_produces_exactly_the_schema(variant: str) -> None:
    documents = from_plan(PLANS[variant]).documents
    assert sorted({t for _, t, _ in documents}) == sorted(RESOURCE_TYPES - plan.INVENTORY_ONLY)
    for address, resource_type, document in documents:
        _assert_matches_schema(resource_type, document, f"{address} ({variant})")


def test_nested_shapes_are_exercised_by_both_mappers() -> None:
    """The representative inputs fill every list of objects, so nested keys are compared, not skipped."""
    plan_documents = {address: doc for address, _, doc in from_plan(PLANS["every attribute"]).documents}
    for resource_type, key, address in (
        ("security_group", "ingress", "aws_security_group.this"),
        ("security_group", "egress", "aws_security_group.this"),
        ("iam_user", "access_keys", "aws_iam_user.this"),
        ("iam_role", "trust_statements", "aws_iam_role.this"),
        ("iam_policy", "statements", "aws_iam_policy.this"),
        ("access_analyzer", "analyzers", "aws_accessanalyzer_analyzer.this"),
        ("cloudtrail_trail", "metric_filters", "aws_cloudtrail.this"),
    ):
        assert from_inventory(resource_type, INVENTORY_INPUTS[resource_type][0])[key], (resource_type, key)
        assert plan_documents[address][key], (address, key)
    assert len(plan_documents["aws_security_group.this"]["ingress"]) == 3  # inline, _rule, _ingress_rule
    assert from_inventory("cloudtrail_account", INVENTORY_INPUTS["cloudtrail_account"][0])["multi_region_trails"]


def test_schema_validation_names_the_violation() -> None:
    document = from_inventory("vpc", {"VpcId": "vpc-1"})
    assert schema_error("vpc", {**document, "is_default": None}) == 'null is not of type "boolean"'
    assert schema_error("vpc", {**document, "shared": True}) == (
        "Additional properties are not allowed ('shared' was unexpected)"
    )
    assert schema_error("vpc", {k: v for k, v in document.items() if k != "tags"}) == (
        '"tags" is a required property'
    )
