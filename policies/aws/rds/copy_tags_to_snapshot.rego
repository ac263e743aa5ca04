# METADATA
# title: RDS instance does not copy tags to snapshots
# description: >-
#   Snapshots without the instance's tags lose their owner and cost allocation, and tag-based
#   access and retention rules miss them.
# custom:
#   id: CF-AWS-RDS-011
#   severity: low
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.17"]
#   remediation: >-
#     Enable copying tags (aws rds modify-db-instance --copy-tags-to-snapshot; Terraform:
#     copy_tags_to_snapshot = true).
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
#         publicly_accessible: false, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql, upgrade], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.copy_tags_to_snapshot

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.copy_tags_to_snapshot == false
	result := {"resource": key, "message": "tags are not copied to snapshots"}
}
