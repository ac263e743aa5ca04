# METADATA
# title: EC2 instance has a public IPv4 address
# description: >-
#   An instance with a public address is reachable from the internet as soon as a security group
#   allows it; instances should sit in private subnets behind load balancers or NAT.
# custom:
#   id: CF-AWS-EC2-007
#   severity: medium
#   category: security
#   resource_types: [ec2_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.9"]
#   remediation: >-
#     Launch instances in private subnets without a public address (Terraform:
#     associate_public_ip_address = false) and expose services through a load balancer.
#   examples:
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: true, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.ec2.public_ip

import data.lib.ec2
import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	not instance.state in ec2.gone_states
	instance.has_public_ip == true
	result := {"resource": key, "message": "instance has a public IPv4 address"}
}
