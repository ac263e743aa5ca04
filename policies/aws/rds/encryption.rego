# METADATA
# title: RDS instance storage is not encrypted
# description: >-
#   Unencrypted database storage exposes its data, automated backups, read replicas and snapshots.
#   Encryption can only be chosen when the instance is created.
# custom:
#   id: CF-AWS-RDS-001
#   severity: high
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.3.1"]
#     cis-aws-foundations-v5.0: ["2.2.1"]
#     aws-foundational-security-best-practices: ["RDS.3"]
#   remediation: >-
#     Snapshot the instance, copy the snapshot with a KMS key, restore a new instance from the copy
#     and switch over (Terraform: storage_encrypted = true on new instances).
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
#       rds_instance: {id: orders, engine: postgres, instance_class: db.m6g.large, storage_encrypted: false,
#         publicly_accessible: false, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.rds.encryption

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.storage_encrypted == false
	result := {"resource": key, "message": "storage is not encrypted"}
}
