# METADATA
# title: RDS automatic minor version upgrade is disabled
# description: >-
#   Minor engine versions carry security fixes; with automatic upgrades they are applied in the
#   maintenance window instead of waiting for someone to remember.
# custom:
#   id: CF-AWS-RDS-004
#   severity: low
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.3.2"]
#     cis-aws-foundations-v5.0: ["2.2.2"]
#     aws-foundational-security-best-practices: ["RDS.13"]
#   remediation: >-
#     Enable it (aws rds modify-db-instance --auto-minor-version-upgrade; Terraform:
#     auto_minor_version_upgrade = true).
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
#         publicly_accessible: false, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: false,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.rds.minor_version_upgrade

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.auto_minor_version_upgrade == false
	result := {"resource": key, "message": "automatic minor version upgrade is disabled"}
}
