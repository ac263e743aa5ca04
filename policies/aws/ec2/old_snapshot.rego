# METADATA
# title: EBS snapshot is older than a year
# description: >-
#   Snapshots kept past any reasonable restore window keep costing storage; backups should expire
#   through a lifecycle policy rather than accumulate.
# custom:
#   id: CF-AWS-EC2-012
#   severity: low
#   category: cost
#   resource_types: [ebs_snapshot]
#   frameworks: {}
#   remediation: >-
#     Delete snapshots nobody needs, archive the rest (EBS Snapshots Archive costs 75% less), and let
#     Amazon Data Lifecycle Manager or AWS Backup expire new ones.
#   examples:
#     now: '2025-06-01T00:00:00Z'
#     good:
#       ebs_snapshot: {id: snap-0a1b2c3d, volume_id: vol-0a1b2c3d, size_gb: 100, encrypted: true,
#         created_at: '2025-03-01T00:00:00Z', tags: {team: data, project: lake,
#         env: prod, owner: alice}}
#     bad:
#       ebs_snapshot: {id: snap-0a1b2c3d, volume_id: vol-0a1b2c3d, size_gb: 100, encrypted: true,
#         created_at: '2023-01-15T00:00:00Z', tags: {team: data, project: lake,
#         env: prod, owner: alice}}
package aws.ec2.old_snapshot

import data.lib.dates
import rego.v1

max_age_days := 365

deny contains result if {
	some key, snapshot in input.resources.ebs_snapshot
	age := dates.days_since(snapshot.created_at)
	age > max_age_days
	result := {"resource": key, "message": sprintf("snapshot is %d days old (limit %d)", [age, max_age_days])}
}
