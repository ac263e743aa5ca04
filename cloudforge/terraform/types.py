"""Which inventory resource each Terraform type declares, and which of its attributes can be compared.

Declared once: the state ingestion (assets/terraform) maps declared resources with it, drift compares the
``comparable`` attributes with the inventory, and the provisioner writes the same types. The inventory type
names are those of assets/aws/collectors.py and policies/documents (plan.py's MAPPERS agree; a test holds it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TerraformType:
    """``inventory_type``: raw_aws.resources.resource_type; ``id_attribute``: the state attribute holding what
    the inventory calls resource_id; ``comparable``: the attributes drift compares (all non-secret)."""

    inventory_type: str
    id_attribute: str
    comparable: tuple[str, ...]


_INSTANCE = TerraformType(
    "ec2_instance", "id",
    ("instance_type", "ami", "subnet_id", "vpc_security_group_ids", "iam_instance_profile", "ebs_optimized",
     "monitoring", "metadata_options", "tags"),
)
_SECURITY_GROUP = TerraformType("security_group", "id", ("name", "description", "vpc_id", "ingress", "egress", "tags"))
_VPC = TerraformType("vpc", "id", ("cidr_block", "enable_dns_support", "enable_dns_hostnames", "tags"))
_SUBNET = TerraformType(
    "subnet", "id", ("vpc_id", "cidr_block", "availability_zone", "map_public_ip_on_launch", "tags")
)
_SNAPSHOT = TerraformType("ebs_snapshot", "id", ("volume_id", "encrypted", "tags"))
_LOAD_BALANCER = TerraformType(
    "load_balancer", "name", ("internal", "load_balancer_type", "subnets", "security_groups", "tags")
)

TERRAFORM_TYPES: dict[str, TerraformType] = {
    "aws_instance": _INSTANCE,
    "aws_ebs_volume": TerraformType(
        "ebs_volume", "id", ("availability_zone", "size", "type", "iops", "throughput", "encrypted", "kms_key_id",
                             "tags"),
    ),
    "aws_ebs_snapshot": _SNAPSHOT,
    "aws_ebs_snapshot_copy": _SNAPSHOT,
    "aws_eip": TerraformType("elastic_ip", "allocation_id", ("domain", "instance", "network_interface", "tags")),
    "aws_security_group": _SECURITY_GROUP,
    "aws_default_security_group": _SECURITY_GROUP,
    "aws_vpc": _VPC,
    "aws_default_vpc": _VPC,
    "aws_subnet": _SUBNET,
    "aws_default_subnet": _SUBNET,
    "aws_s3_bucket": TerraformType("s3_bucket", "bucket", ("bucket", "object_lock_enabled", "tags")),
    "aws_db_instance": TerraformType(
        "rds_instance", "identifier",
        ("engine", "engine_version", "instance_class", "allocated_storage", "storage_type", "storage_encrypted",
         "multi_az", "publicly_accessible", "deletion_protection", "backup_retention_period",
         "auto_minor_version_upgrade", "tags"),
    ),
    "aws_iam_user": TerraformType("iam_user", "name", ("name", "path", "permissions_boundary", "tags")),
    "aws_iam_role": TerraformType(
        "iam_role", "name", ("name", "path", "assume_role_policy", "max_session_duration", "permissions_boundary",
                             "tags"),
    ),
    "aws_lambda_function": TerraformType(
        "lambda_function", "function_name",
        ("runtime", "handler", "memory_size", "timeout", "role", "package_type", "architectures", "environment",
         "tags"),
    ),
    "aws_lb": _LOAD_BALANCER,
    "aws_alb": _LOAD_BALANCER,
    "aws_elb": TerraformType("load_balancer", "name", ("internal", "subnets", "security_groups", "tags")),
    "aws_kms_key": TerraformType(
        "kms_key", "key_id", ("description", "key_usage", "customer_master_key_spec", "enable_key_rotation",
                              "is_enabled", "multi_region", "tags"),
    ),
}
