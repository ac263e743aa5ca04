# METADATA
# title: RDS instance has no deletion protection
# description: >-
#   Without deletion protection a single API call, console click or Terraform destroy removes the
#   database.
# custom:
#   id: CF-AWS-RDS-005
#   severity: low
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.8"]
#   remediation: >-
#     Enable deletion protection (aws rds modify-db-instance --deletion-protection; Terraform:
#     deletion_protection = true).
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
#         deletion_protection: false, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.rds.deletion_protection

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.deletion_protection == false
	result := {"resource": key, "message": "deletion protection is off"}
}
