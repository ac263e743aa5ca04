# METADATA
# title: Subnet assigns public IPv4 addresses on launch
# description: >-
#   Every instance launched into such a subnet gets a public address unless its launch request
#   says otherwise, which makes exposure the default.
# custom:
#   id: CF-AWS-VPC-001
#   severity: low
#   category: security
#   resource_types: [subnet]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.15"]
#   remediation: >-
#     Turn off auto-assign public IPv4 (aws ec2 modify-subnet-attribute --no-map-public-ip-on-launch;
#     Terraform: map_public_ip_on_launch = false); give public addresses to load balancers and NAT only.
#   examples:
#     good:
#       subnet: {id: subnet-0a1b2c3d, vpc_id: vpc-0a1b2c3d, cidr_block: 10.0.1.0/24,
#         map_public_ip_on_launch: false, tags: {team: data, project: lake,
#         env: prod, owner: alice}}
#     bad:
#       subnet: {id: subnet-0a1b2c3d, vpc_id: vpc-0a1b2c3d, cidr_block: 10.0.1.0/24,
#         map_public_ip_on_launch: true, tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.vpc.subnet_public_ip

import rego.v1

deny contains result if {
	some key, subnet in input.resources.subnet
	subnet.map_public_ip_on_launch == true
	result := {"resource": key, "message": "subnet assigns a public IPv4 address to every instance launched in it"}
}
