# METADATA
# title: RDS instance does not use IAM database authentication
# description: >-
#   With IAM authentication, connections use short-lived tokens from IAM instead of long-lived
#   database passwords, and access is granted and revoked in one place.
# custom:
#   id: CF-AWS-RDS-007
#   severity: medium
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.10"]
#   remediation: >-
#     Enable IAM database authentication (aws rds modify-db-instance
#     --enable-iam-database-authentication; Terraform: iam_database_authentication_enabled = true).
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
#         iam_auth_enabled: false, log_exports: [postgresql, upgrade], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.iam_authentication

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.iam_auth_enabled == false
	result := {"resource": key, "message": "IAM database authentication is off"}
}
