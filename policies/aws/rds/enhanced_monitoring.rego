# METADATA
# title: RDS instance has no enhanced monitoring
# description: >-
#   Enhanced monitoring reports the operating system's metrics (CPU steal, memory, processes) at
#   up to one-second granularity, which CloudWatch's instance metrics do not show.
# custom:
#   id: CF-AWS-RDS-009
#   severity: low
#   category: security
#   resource_types: [rds_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["RDS.6"]
#   remediation: >-
#     Set a monitoring interval and role (aws rds modify-db-instance --monitoring-interval 60
#     --monitoring-role-arn ...; Terraform: monitoring_interval = 60, monitoring_role_arn).
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
#         iam_auth_enabled: true, log_exports: [postgresql, upgrade], monitoring_interval: 0,
#         performance_insights_enabled: true, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.enhanced_monitoring

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.monitoring_interval == 0
	result := {"resource": key, "message": "enhanced monitoring is off"}
}
