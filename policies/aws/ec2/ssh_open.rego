# METADATA
# title: Security group allows SSH from the internet
# description: >-
#   Port 22 open to 0.0.0.0/0 or ::/0 exposes every attached instance to password guessing and
#   exploits of the SSH daemon.
# custom:
#   id: CF-AWS-EC2-001
#   severity: high
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.2", "5.3"]
#     aws-foundational-security-best-practices: ["EC2.13"]
#   remediation: >-
#     Remove the rule, or restrict its source to known address ranges. Prefer AWS Systems Manager
#     Session Manager or EC2 Instance Connect Endpoint, which need no inbound port.
package aws.ec2.ssh_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := network.open_ingress(group, network.tcp, 22)
	count(rules) > 0
	result := {"resource": key, "message": sprintf("SSH (22/tcp) open to the internet: %s", [concat("; ", rules)])}
}
