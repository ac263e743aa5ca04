# METADATA
# title: Load balancer spans fewer than two Availability Zones
# description: >-
#   A load balancer in a single Availability Zone goes down with that zone, taking every target
#   behind it along.
# custom:
#   id: CF-AWS-ELB-001
#   severity: low
#   category: security
#   resource_types: [load_balancer]
#   frameworks:
#     aws-foundational-security-best-practices: ["ELB.13"]
#   remediation: >-
#     Add a subnet in a second Availability Zone to the load balancer (Terraform: subnets).
#   examples:
#     good:
#       load_balancer: {name: web, arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1',
#         type: application, scheme: internet-facing, zone_count: 2, tags: {
#         team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       load_balancer: {name: web, arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1',
#         type: application, scheme: internet-facing, zone_count: 1, tags: {
#         team: data, project: lake, env: prod, owner: alice}}
package aws.elb.single_zone

import rego.v1

deny contains result if {
	some key, balancer in input.resources.load_balancer
	is_number(balancer.zone_count)
	balancer.zone_count < 2
	result := {"resource": key, "message": sprintf("load balancer spans %d Availability Zone", [balancer.zone_count])}
}
