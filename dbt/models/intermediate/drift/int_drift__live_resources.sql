-- Every inventoried resource of a type the Terraform mapping covers, with its comparable attributes in the shape
-- drift compares (attribute names of the Terraform type, cloudforge/terraform/types.py). What AWS creates on its
-- own (default VPCs, subnets and security groups, AWS-managed keys) is marked: it is drift only when declared.
with resources as (
    select *, configuration as doc
    from {{ ref('resources') }}
    where cloud = 'aws'
)

select
    resource_key,
    account_id,
    region,
    resource_type,
    resource_id,
    name,
    team,
    coalesce(case
        when resource_type = 'vpc' then (doc ->> 'IsDefault')::boolean
        when resource_type = 'subnet' then (doc ->> 'DefaultForAz')::boolean
        when resource_type = 'security_group' then doc ->> 'GroupName' = 'default'
        -- alias/aws/<service> names the key a service made for itself (moto reports it with KeyManager CUSTOMER)
        when resource_type = 'kms_key' then doc ->> 'KeyManager' = 'AWS'
            or coalesce(doc -> 'Aliases', '[]'::jsonb) @? '$[*] ? (@ starts with "alias/aws/")'
        else false
    end, false) as is_aws_default,
    -- tags in each type's object: concatenating two objects (||) cost a third of this model's time
    case resource_type
        when 'ec2_instance' then jsonb_build_object(
            'tags', tags,
            'instance_type', doc -> 'InstanceType',
            'ami', doc -> 'ImageId',
            'subnet_id', doc -> 'SubnetId',
            'vpc_security_group_ids', {{ drift_sorted("doc -> 'SecurityGroups'", 'GroupId') }},
            'ebs_optimized', doc -> 'EbsOptimized',
            'monitoring', to_jsonb(doc -> 'Monitoring' ->> 'State' = 'enabled')
        )
        when 'security_group' then jsonb_build_object(
            'tags', tags,
            'name', doc -> 'GroupName',
            'description', doc -> 'Description',
            'vpc_id', doc -> 'VpcId',
            'ingress', {{ drift_rules('doc', 'IpPermissions', 'resource_id') }},
            'egress', {{ drift_rules('doc', 'IpPermissionsEgress', 'resource_id') }}
        )
        when 'vpc' then jsonb_build_object('tags', tags, 'cidr_block', doc -> 'CidrBlock')
        when 'subnet' then jsonb_build_object(
            'tags', tags,
            'vpc_id', doc -> 'VpcId',
            'cidr_block', doc -> 'CidrBlock',
            'availability_zone', doc -> 'AvailabilityZone',
            'map_public_ip_on_launch', doc -> 'MapPublicIpOnLaunch'
        )
        when 'ebs_volume' then jsonb_build_object(
            'tags', tags,
            'availability_zone', doc -> 'AvailabilityZone',
            'size', doc -> 'Size',
            'type', doc -> 'VolumeType',
            'encrypted', doc -> 'Encrypted',
            'kms_key_id', doc -> 'KmsKeyId'
        )
        when 'ebs_snapshot' then jsonb_build_object(
            'tags', tags, 'volume_id', doc -> 'VolumeId', 'encrypted', doc -> 'Encrypted'
        )
        when 'elastic_ip' then jsonb_build_object(
            'tags', tags,
            'domain', doc -> 'Domain',
            'instance', doc -> 'InstanceId',
            'network_interface', doc -> 'NetworkInterfaceId'
        )
        when 's3_bucket' then jsonb_build_object('tags', tags, 'bucket', doc -> 'Name')
        when 'rds_instance' then jsonb_build_object(
            'tags', tags,
            'engine', doc -> 'Engine',
            'engine_version', doc -> 'EngineVersion',
            'instance_class', doc -> 'DBInstanceClass',
            'allocated_storage', doc -> 'AllocatedStorage',
            'storage_type', doc -> 'StorageType',
            'storage_encrypted', doc -> 'StorageEncrypted',
            'multi_az', doc -> 'MultiAZ',
            'publicly_accessible', doc -> 'PubliclyAccessible',
            'deletion_protection', doc -> 'DeletionProtection',
            'backup_retention_period', doc -> 'BackupRetentionPeriod',
            'auto_minor_version_upgrade', doc -> 'AutoMinorVersionUpgrade'
        )
        when 'iam_user' then jsonb_build_object('tags', tags, 'name', doc -> 'UserName', 'path', doc -> 'Path')
        when 'iam_role' then jsonb_build_object(
            'tags', tags,
            'name', doc -> 'RoleName',
            'path', doc -> 'Path',
            'max_session_duration', doc -> 'MaxSessionDuration'
        )
        when 'lambda_function' then jsonb_build_object(
            'tags', tags,
            'runtime', doc -> 'Runtime',
            'handler', doc -> 'Handler',
            'memory_size', doc -> 'MemorySize',
            'timeout', doc -> 'Timeout',
            'role', doc -> 'Role',
            'package_type', doc -> 'PackageType',
            'architectures', {{ drift_sorted("doc -> 'Architectures'") }}
        )
        when 'load_balancer' then jsonb_build_object(
            'tags', tags,
            'internal', to_jsonb(doc ->> 'Scheme' = 'internal'),
            'load_balancer_type', doc -> 'Type',
            'subnets', {{ drift_sorted("doc -> 'AvailabilityZones'", 'SubnetId') }},
            'security_groups', {{ drift_sorted("doc -> 'SecurityGroups'") }}
        )
        when 'kms_key' then jsonb_build_object(
            'tags', tags,
            'description', doc -> 'Description',
            'key_usage', doc -> 'KeyUsage',
            'customer_master_key_spec', doc -> 'CustomerMasterKeySpec',
            'enable_key_rotation', doc -> 'KeyRotationEnabled',
            'is_enabled', doc -> 'Enabled',
            'multi_region', doc -> 'MultiRegion'
        )
    end as live_attributes
from resources
where resource_type in (
    'ec2_instance', 'security_group', 'vpc', 'subnet', 'ebs_volume', 'ebs_snapshot', 'elastic_ip', 's3_bucket',
    'rds_instance', 'iam_user', 'iam_role', 'lambda_function', 'load_balancer', 'kms_key'
)
