# METADATA
# title: EBS volume is not encrypted
# description: >-
#   Unencrypted volumes, and the snapshots taken from them, keep data readable by anyone who gets
#   access to the storage or to a shared snapshot.
# custom:
#   id: CF-AWS-EC2-008
#   severity: high
#   category: security
#   resource_types: [ebs_volume]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.2.1"]
#     aws-foundational-security-best-practices: ["EC2.3"]
#   remediation: >-
#     Turn on EBS encryption by default in every region; migrate the volume by snapshotting it,
#     copying the snapshot with encryption and creating a volume from the copy (Terraform: encrypted = true).
#   examples:
#     good:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp3, encrypted: true,
#         state: in-use, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
#     bad:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp3, encrypted: false,
#         state: in-use, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
package aws.ec2.ebs_encryption

import rego.v1

deny contains result if {
	some key, volume in input.resources.ebs_volume
	volume.encrypted == false
	result := {"resource": key, "message": "volume is not encrypted"}
}
