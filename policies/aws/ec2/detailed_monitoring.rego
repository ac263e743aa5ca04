# METADATA
# title: EC2 instance has no detailed monitoring
# description: >-
#   Basic monitoring reports every five minutes: alarms and autoscaling on it react late to a
#   spike that detailed (one-minute) monitoring shows.
# custom:
#   id: CF-AWS-EC2-018
#   severity: low
#   category: security
#   resource_types: [ec2_instance]
#   frameworks: {}
#   remediation: >-
#     Enable detailed monitoring (aws ec2 monitor-instances; Terraform: monitoring = true).
#   examples:
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d], root_volume_encrypted: true,
#         detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d], root_volume_encrypted: true,
#         detailed_monitoring: false, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.detailed_monitoring

import data.lib.ec2
import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	not instance.state in ec2.gone_states
	instance.detailed_monitoring == false
	result := {"resource": key, "message": "detailed monitoring is off"}
}
