# METADATA
# title: RDS instance is not Multi-AZ
# description: >-
#   A single-AZ instance is down for as long as its Availability Zone or host is: a standby
#   in a second zone fails over in a minute or two.
# custom:
#   id: CF-AWS-RDS-006
#   severity: medium
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.5"]
#   remediation: >-
#     Enable Multi-AZ (aws rds modify-db-instance --multi-az; Terraform: multi_az = true).
#   examples:
#     good:
#       rds_instance: {id: orders, engine: postgres, instance_class: db.m6g.large, storage_encrypted: true,
#         publicly_accessible: false, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql, upgrade], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       rds_instance: {id: orders, engine: postgres, instance_class: db.m6g.large, storage_encrypted: true,
#         publicly_accessible: false, backup_retention_days: 14, multi_az: false,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql, upgrade], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.multi_az

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.multi_az == false
	result := {"resource": key, "message": "not Multi-AZ"}
}
