# METADATA
# title: VPC flow logging is not enabled
# description: >-
#   Without flow logs there is no record of the traffic that reached or left the VPC, for detecting
#   exfiltration or investigating an incident afterwards.
# custom:
#   id: CF-AWS-VPC-004
#   severity: medium
#   category: security
#   resource_types: [vpc]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.7"]
#     cis-aws-foundations-v5.0: ["3.7"]
#     aws-foundational-security-best-practices: ["EC2.6"]
#   remediation: >-
#     Create a flow log for the VPC recording at least rejected traffic into CloudWatch Logs or S3
#     (aws ec2 create-flow-logs --resource-type VPC; Terraform: aws_flow_log with vpc_id).
#   examples:
#     good:
#       vpc: {id: vpc-0a1b2c3d, cidr_block: 10.0.0.0/16, is_default: false, flow_logs_enabled: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       vpc: {id: vpc-0a1b2c3d, cidr_block: 10.0.0.0/16, is_default: false, flow_logs_enabled: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.vpc.flow_logs

import rego.v1

deny contains result if {
	some key, vpc in input.resources.vpc
	vpc.flow_logs_enabled == false
	result := {"resource": key, "message": "no active flow log records the VPC's traffic"}
}
