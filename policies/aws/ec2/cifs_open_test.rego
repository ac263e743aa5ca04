package aws.ec2.cifs_open_test

import data.aws.ec2.cifs_open
import rego.v1

rule(protocol, from, to, sources) := {"protocol": protocol, "from_port": from, "to_port": to, "internet_sources": sources}

test_denies_smb_from_the_internet_on_any_protocol_covering_445 if {
	cifs_open.deny == {
		{"resource": "smb", "message": "CIFS/SMB (445) open to the internet: tcp 445-445 from 0.0.0.0/0"},
		{"resource": "range", "message": "CIFS/SMB (445) open to the internet: tcp 400-500 from ::/0"},
		{"resource": "all", "message": "CIFS/SMB (445) open to the internet: all 0-65535 from 0.0.0.0/0"},
	} with input.resources.security_group as {
		"smb": {"ingress": [rule("tcp", 445, 445, ["0.0.0.0/0"])]},
		"range": {"ingress": [rule("tcp", 400, 500, ["::/0"])]},
		"all": {"ingress": [rule("all", 0, 65535, ["0.0.0.0/0"])]},
	}
}

test_allows_smb_from_a_private_range_and_other_ports if {
	count(cifs_open.deny) == 0 with input.resources.security_group as {
		"private": {"ingress": [rule("tcp", 445, 445, [])]},
		"web": {"ingress": [rule("tcp", 443, 443, ["0.0.0.0/0"])]},
		"icmp": {"ingress": [rule("icmp", -1, -1, ["0.0.0.0/0"])]},
	}
}
