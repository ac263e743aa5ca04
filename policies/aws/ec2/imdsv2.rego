# METADATA
# title: EC2 instance does not require IMDSv2
# description: >-
#   IMDSv1 answers plain GET requests, so a server-side request forgery in any application on the
#   instance can read its IAM role credentials. IMDSv2 requires a session token.
# custom:
#   id: CF-AWS-EC2-006
#   severity: medium
#   category: security
#   resource_types: [ec2_instance]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.6"]
#     cis-aws-foundations-v5.0: ["5.7"]
#     aws-foundational-security-best-practices: ["EC2.8"]
#   remediation: >-
#     Set HttpTokens to required (aws ec2 modify-instance-metadata-options --http-tokens required;
#     Terraform: metadata_options { http_tokens = "required" }).
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
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: false,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.ec2.imdsv2

import data.lib.ec2
import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	not instance.state in ec2.gone_states
	instance.imdsv2_required == false
	result := {"resource": key, "message": "instance metadata service accepts IMDSv1 (HttpTokens is not required)"}
}
