# METADATA
# title: Stopped EC2 instance keeps EBS volumes
# description: >-
#   A stopped instance costs nothing for compute, but its EBS volumes are billed in full; instances
#   stopped for good should be snapshotted and terminated.
# custom:
#   id: CF-AWS-EC2-013
#   severity: low
#   category: cost
#   resource_types: [ec2_instance]
#   frameworks: {}
#   remediation: >-
#     If the instance is not coming back, create an AMI or snapshots, then terminate it; otherwise
#     schedule it (Instance Scheduler) so the stop is deliberate.
#   examples:
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: stopped,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.ec2.stopped_instance_volumes

import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	instance.state == "stopped"
	count(instance.volume_ids) > 0
	result := {"resource": key, "message": sprintf(
		"stopped instance keeps %d EBS volumes: %s",
		[count(instance.volume_ids), concat(", ", instance.volume_ids)],
	)}
}
