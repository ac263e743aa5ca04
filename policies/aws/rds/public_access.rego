# METADATA
# title: RDS instance is publicly accessible
# description: >-
#   A publicly accessible instance gets a DNS name that resolves to a public address; only security
#   groups stand between the database and the internet.
# custom:
#   id: CF-AWS-RDS-002
#   severity: critical
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.3.3"]
#     cis-aws-foundations-v5.0: ["2.2.3"]
#     aws-foundational-security-best-practices: ["RDS.2"]
#   remediation: >-
#     Set PubliclyAccessible to false (aws rds modify-db-instance --no-publicly-accessible;
#     Terraform: publicly_accessible = false) and keep the instance in private subnets.
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
#         publicly_accessible: true, backup_retention_days: 14, multi_az: true,
#         deletion_protection: true, auto_minor_version_upgrade: true,
#         iam_auth_enabled: true, log_exports: [postgresql], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.rds.public_access

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.publicly_accessible == true
	result := {"resource": key, "message": "instance is publicly accessible"}
}
