# METADATA
# title: Elastic IP is not associated
# description: >-
#   AWS charges for every public IPv4 address, and an Elastic IP that is not associated with an
#   instance or network interface serves nothing.
# custom:
#   id: CF-AWS-EC2-011
#   severity: low
#   category: cost
#   resource_types: [elastic_ip]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.12"]
#   remediation: >-
#     Release the address (aws ec2 release-address --allocation-id ID) unless it is about to be used.
#   examples:
#     good:
#       elastic_ip: {id: eipalloc-0a1b2c3d, public_ip: 203.0.113.10, associated: true, tags: {
#         team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       elastic_ip: {id: eipalloc-0a1b2c3d, public_ip: 203.0.113.10, associated: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.unassociated_eip

import rego.v1

deny contains result if {
	some key, address in input.resources.elastic_ip
	address.associated == false
	result := {"resource": key, "message": sprintf("Elastic IP %v is not associated with anything", [address.public_ip])}
}
