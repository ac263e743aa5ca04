# METADATA
# title: EBS volume is not attached
# description: >-
#   A volume in the "available" state is billed for its full size every month while no instance
#   uses it.
# custom:
#   id: CF-AWS-EC2-010
#   severity: low
#   category: cost
#   resource_types: [ebs_volume]
#   frameworks: {}
#   remediation: >-
#     Snapshot the volume if its data may be needed (snapshots cost less per GiB), then delete it.
#   examples:
#     good:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp3, encrypted: true,
#         state: in-use, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
#     bad:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp3, encrypted: true,
#         state: available, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
package aws.ec2.unattached_volume

import rego.v1

deny contains result if {
	some key, volume in input.resources.ebs_volume
	volume.state == "available"
	result := {"resource": key, "message": sprintf("%v GiB %v volume is not attached to any instance", [volume.size_gb, volume.volume_type])}
}
