# METADATA
# title: RDS instance exports no logs to CloudWatch Logs
# description: >-
#   Database logs (errors, audit, slow queries) kept only on the instance are lost with it and
#   cannot be searched, alarmed on or retained centrally.
# custom:
#   id: CF-AWS-RDS-008
#   severity: medium
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.9"]
#   remediation: >-
#     Publish the engine's logs (aws rds modify-db-instance --cloudwatch-logs-export-configuration;
#     Terraform: enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]).
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
#         iam_auth_enabled: true, log_exports: [], monitoring_interval: 60,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.log_exports

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	is_array(db.log_exports)
	count(db.log_exports) == 0
	result := {"resource": key, "message": "no logs exported to CloudWatch Logs"}
}
