# METADATA
# title: RDS instance has Performance Insights off
# description: >-
#   Performance Insights keeps the database load by wait event, query and host, the first thing
#   needed to explain a slow database after the fact.
# custom:
#   id: CF-AWS-RDS-010
#   severity: low
#   category: security
#   resource_types: [rds_instance]
#   frameworks: {}
#   remediation: >-
#     Enable Performance Insights (aws rds modify-db-instance --enable-performance-insights;
#     Terraform: performance_insights_enabled = true).
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
#         performance_insights_enabled: false, copy_tags_to_snapshot: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.rds.performance_insights

import rego.v1

deny contains result if {
	some key, db in input.resources.rds_instance
	db.performance_insights_enabled == false
	result := {"resource": key, "message": "Performance Insights is off"}
}
