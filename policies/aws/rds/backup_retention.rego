# METADATA
# title: RDS instance keeps backups for less than 7 days
# description: >-
#   Automated backups give point-in-time recovery; with retention 0 they are off, and a few days
#   may not cover the time it takes to notice a corruption.
# custom:
#   id: CF-AWS-RDS-003
#   severity: medium
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.11"]
#   remediation: >-
#     Set the backup retention period to 7 days or more (aws rds modify-db-instance
#     --backup-retention-period 7; Terraform: backup_retention_period = 7).
#   examples:
#     good:
#       rds_instance: {id: orders, engine: postgres, instance_class: db.m6g.large, storage_encrypted: true,
#         publicly_accessible: false, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       rds_instance: {id: orders, engine: postgres, instance_class: db.m6g.large, storage_encrypted: true,
#         publicly_accessible: false, backup_retention_days: 1, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.rds.backup_retention

import rego.v1

minimum_days := 7

deny contains result if {
	some key, db in input.resources.rds_instance
	is_number(db.backup_retention_days)
	db.backup_retention_days < minimum_days
	result := {"resource": key, "message": message(db.backup_retention_days)}
}

message(0) := "automated backups are disabled"

message(days) := sprintf("backups are kept %d days (minimum %d)", [days, minimum_days]) if days > 0
