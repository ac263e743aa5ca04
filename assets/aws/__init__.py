"""AWS inventory: boto3 collectors per resource type, loaded slice by slice into ``raw_aws``."""
