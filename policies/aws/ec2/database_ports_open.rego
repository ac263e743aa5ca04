# METADATA
# title: Security group exposes database ports to the internet
# description: >-
#   Database and cache ports (SQL Server, Oracle, MySQL, PostgreSQL, Redshift, Redis, Elasticsearch,
#   Memcached, MongoDB) open to 0.0.0.0/0 or ::/0 invite data theft and ransom attacks.
# custom:
#   id: CF-AWS-EC2-005
#   severity: high
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.19"]
#   remediation: >-
#     Allow database ports only from the application's security group or private ranges; keep
#     databases in private subnets.
#   examples:
#     good:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 5432, to_port: 5432, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.database_ports_open

import data.lib.network
import rego.v1

database_ports := {
	1433: "SQL Server",
	1521: "Oracle",
	3306: "MySQL",
	5432: "PostgreSQL",
	5439: "Redshift",
	6379: "Redis",
	9200: "Elasticsearch",
	11211: "Memcached",
	27017: "MongoDB",
}

deny contains result if {
	some key, group in input.resources.security_group
	exposed := {sprintf("%s %d", [name, port]) |
		some rule in group.ingress
		count(rule.internet_sources) > 0
		network.allows_protocol(rule, network.tcp)
		some port, name in database_ports
		rule.from_port <= port
		port <= rule.to_port
	}
	count(exposed) > 0
	result := {"resource": key, "message": sprintf("database ports open to the internet: %s", [concat(", ", exposed)])}
}
