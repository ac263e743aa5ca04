-- Every savings recommendation the inventory and the metrics support, one row per (kind, resource), with its
-- evidence and the saving a price table gives (the mart prefers the resource's billed cost where there is one).
-- Thresholds come from the var `recommendations` (settings.recommendations).
{%- set hours_per_month = 730 %}

with

instances as (
    select
        concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
        resource_id,
        state,
        instance_type,
        split_part(instance_type, '.', 1) as instance_family
    from {{ ref('stg_aws__ec2_instances') }}
),

volumes as (
    select
        concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
        account_id,
        region,
        resource_id,
        size_gib,
        volume_type,
        attached_instance_id
    from {{ ref('stg_aws__ebs_volumes') }}
),

prices as (
    select * from {{ ref('aws_instance_prices') }}
),

unit_prices as (
    select price_key, usd from {{ ref('aws_unit_prices') }}
),

metric as (
    select * from {{ ref('int_metric_windows') }}
),

cpu as (
    select resource_key, p95_hourly_avg as cpu_p95_percent
    from metric
    where metric_name = 'CPUUtilization' and covers_window
),

network as (
    select resource_key, sum(per_day_sum) as network_bytes_per_day
    from metric
    where metric_name in ('NetworkIn', 'NetworkOut') and covers_window
    group by resource_key
),

running_instances as (
    select instances.*, cpu.cpu_p95_percent, coalesce(network.network_bytes_per_day, 0) as network_bytes_per_day,
        cpu.cpu_p95_percent < {{ recommendation_setting('idle_cpu_percent') }}
            and coalesce(network.network_bytes_per_day, 0) < {{ recommendation_setting('idle_network_bytes_per_day') }}
            as is_idle
    from instances
    inner join cpu on cpu.resource_key = instances.resource_key
    left join network on network.resource_key = instances.resource_key
    where instances.state = 'running'
),

idle_instances as (
    select
        'idle_instance' as kind,
        running_instances.resource_key,
        jsonb_build_object(
            'cpu_p95_percent', round(running_instances.cpu_p95_percent::numeric, 2),
            'network_bytes_per_day', round(running_instances.network_bytes_per_day::numeric),
            'lookback_days', {{ recommendation_setting('lookback_days') }}
        ) as evidence,
        format('%s is idle: p95 CPU %s %% and %s MB of network a day over %s days; stop or terminate it',
               running_instances.instance_type, round(running_instances.cpu_p95_percent::numeric, 1),
               round(running_instances.network_bytes_per_day::numeric / 1e6, 1),
               {{ recommendation_setting('lookback_days') }}) as action,
        prices.hourly_usd * {{ hours_per_month }} as price_table_saving,
        array[running_instances.resource_key] as billed_resource_keys
    from running_instances
    left join prices on prices.instance_type = running_instances.instance_type
    where running_instances.is_idle
),

rightsizing as (
    select
        'rightsizing' as kind,
        running_instances.resource_key,
        jsonb_build_object(
            'cpu_p95_percent', round(running_instances.cpu_p95_percent::numeric, 2),
            'instance_type', running_instances.instance_type,
            'suggested_instance_type', smaller.instance_type,
            'lookback_days', {{ recommendation_setting('lookback_days') }}
        ) as evidence,
        format('p95 CPU %s %% over %s days: move %s to %s',
               round(running_instances.cpu_p95_percent::numeric, 1), {{ recommendation_setting('lookback_days') }},
               running_instances.instance_type, smaller.instance_type) as action,
        (current_size.hourly_usd - smaller.hourly_usd) * {{ hours_per_month }} as price_table_saving,
        array[]::text[] as billed_resource_keys  -- priced: the bill does not say what a smaller size costs
    from running_instances
    inner join prices as current_size on current_size.instance_type = running_instances.instance_type
    inner join prices as smaller
        on smaller.family = current_size.family
        and smaller.size_rank = current_size.size_rank - 1
    where not running_instances.is_idle
        and running_instances.cpu_p95_percent < {{ recommendation_setting('rightsizing_cpu_percent') }}
),

unattached_volumes as (
    select
        'unattached_volume' as kind,
        volumes.resource_key,
        jsonb_build_object('size_gib', volumes.size_gib, 'volume_type', volumes.volume_type) as evidence,
        format('%s GiB %s volume attached to nothing: snapshot it if needed, then delete it',
               volumes.size_gib, volumes.volume_type) as action,
        volumes.size_gib * unit_prices.usd as price_table_saving,
        array[volumes.resource_key] as billed_resource_keys
    from volumes
    left join unit_prices on unit_prices.price_key = 'ebs_' || volumes.volume_type
    where volumes.attached_instance_id is null
),

unassociated_addresses as (
    select
        'unassociated_elastic_ip' as kind,
        concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
        jsonb_build_object('public_ip', public_ip) as evidence,
        format('Elastic IP %s is associated with nothing: release it', public_ip) as action,
        (select usd from unit_prices where price_key = 'elastic_ip_idle') * {{ hours_per_month }} as price_table_saving,
        array[concat_ws('/', 'aws', account_id, region, resource_type, resource_id)] as billed_resource_keys
    from {{ ref('stg_aws__elastic_ips') }}
    where association_id is null
),

old_snapshots as (
    select
        'old_snapshot' as kind,
        concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
        jsonb_build_object(
            'age_days', {{ today() }} - created_at::date,
            'retention_days', {{ recommendation_setting('snapshot_retention_days') }},
            'size_gib', volume_size_gib
        ) as evidence,
        format('snapshot is %s days old, beyond the %s-day retention: delete it',
               {{ today() }} - created_at::date, {{ recommendation_setting('snapshot_retention_days') }}) as action,
        volume_size_gib * (select usd from unit_prices where price_key = 'ebs_snapshot') as price_table_saving,
        array[concat_ws('/', 'aws', account_id, region, resource_type, resource_id)] as billed_resource_keys
    from {{ ref('stg_aws__ebs_snapshots') }}
    where created_at::date < {{ today() }} - {{ recommendation_setting('snapshot_retention_days') }}::integer
),

previous_generation as (
    select
        'previous_generation' as kind,
        instances.resource_key,
        jsonb_build_object(
            'instance_type', instances.instance_type,
            'suggested_instance_type', successor.instance_type
        ) as evidence,
        format('%s is an older generation: move to the %s family%s', instances.instance_type,
               generations.successor_family, coalesce(' (' || successor.instance_type || ')', '')) as action,
        coalesce((current_size.hourly_usd - successor.hourly_usd) * {{ hours_per_month }}, 0) as price_table_saving,
        array[]::text[] as billed_resource_keys
    from instances
    inner join {{ ref('ec2_previous_generation_families') }} as generations
        on generations.family = instances.instance_family
    left join prices as current_size on current_size.instance_type = instances.instance_type
    left join prices as successor
        on successor.family = generations.successor_family
        and successor.size_rank = current_size.size_rank
    where instances.state not in ('shutting-down', 'terminated')
),

stopped_instances as (
    select
        'stopped_instance' as kind,
        instances.resource_key,
        jsonb_build_object('volume_count', count(volumes.resource_id), 'volume_gib', sum(volumes.size_gib)) as evidence,
        format('stopped, yet %s EBS volumes (%s GiB) are billed: snapshot and terminate it, or schedule it',
               count(volumes.resource_id), sum(volumes.size_gib)) as action,
        sum(volumes.size_gib * unit_prices.usd) as price_table_saving,
        array_agg(volumes.resource_key order by volumes.resource_key) as billed_resource_keys
    from instances
    inner join volumes on volumes.attached_instance_id = instances.resource_id
    left join unit_prices on unit_prices.price_key = 'ebs_' || volumes.volume_type
    where instances.state = 'stopped'
    group by instances.resource_key
),

idle_load_balancers as (
    select
        'idle_load_balancer' as kind,
        balancers.resource_key,
        jsonb_build_object(
            'requests_per_day', round(coalesce(requests.per_day_sum, 0)::numeric, 1),
            'lookback_days', {{ recommendation_setting('lookback_days') }}
        ) as evidence,
        format('%s requests a day over %s days: delete the load balancer',
               round(coalesce(requests.per_day_sum, 0)::numeric, 1), {{ recommendation_setting('lookback_days') }}) as action,
        (select usd from unit_prices where price_key = 'load_balancer') * {{ hours_per_month }} as price_table_saving,
        array[balancers.resource_key] as billed_resource_keys
    from (
        select concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key
        from {{ ref('stg_aws__load_balancers') }}
    ) as balancers
    inner join metric as requests
        on requests.resource_key = balancers.resource_key
        and requests.metric_name = 'RequestCount'
        and requests.covers_window
    where requests.per_day_sum < {{ recommendation_setting('idle_load_balancer_requests_per_day') }}
),

idle_databases as (
    select
        'idle_database' as kind,
        databases.resource_key,
        jsonb_build_object(
            'max_connections', connections.max_value,
            'lookback_days', {{ recommendation_setting('lookback_days') }}
        ) as evidence,
        format('no connections in %s days: snapshot the %s database and delete it',
               {{ recommendation_setting('lookback_days') }}, databases.instance_class) as action,
        prices.hourly_usd * {{ hours_per_month }} as price_table_saving,
        array[databases.resource_key] as billed_resource_keys
    from (
        select concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key, instance_class
        from {{ ref('stg_aws__rds_instances') }}
        where state = 'available'
    ) as databases
    inner join metric as connections
        on connections.resource_key = databases.resource_key
        and connections.metric_name = 'DatabaseConnections'
        and connections.covers_window
    left join prices on prices.instance_type = databases.instance_class
    where connections.max_value = 0
),

unioned as (
    select * from idle_instances
    union all
    select * from rightsizing
    union all
    select * from unattached_volumes
    union all
    select * from unassociated_addresses
    union all
    select * from old_snapshots
    union all
    select * from previous_generation
    union all
    select * from stopped_instances
    union all
    select * from idle_load_balancers
    union all
    select * from idle_databases
)

select
    kind,
    resource_key,
    evidence,
    action,
    price_table_saving::numeric(14, 4) as price_table_saving,
    billed_resource_keys
from unioned
