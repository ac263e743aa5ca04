{#- SQL building blocks of the cost models. -#}

{#- A deterministic key over columns that may be null: md5 of the columns as quoted literals, so null, ''
    and a value containing the separator all stay distinct. -#}
{% macro cost_key(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %}, quote_nullable({{ column }}){% endfor -%}
    ))
{%- endmacro %}

{#- The exact median of a numeric aggregate (percentile_cont works in double precision). -#}
{% macro cost_median(expression) -%}
    (
        (array_agg({{ expression }} order by {{ expression }}))[((count(*) + 1) / 2)::int]
        + (array_agg({{ expression }} order by {{ expression }}))[((count(*) + 2) / 2)::int]
    ) / 2
{%- endmacro %}

{#- amount rounded to cents so that, within each partition, the rounded amounts add up to target (a total
    already rounded to cents) exactly: every amount is rounded down, then the cents left over go one each to
    the largest fractions of a cent, ties broken by tie_breakers (largest remainder method). -#}
{% macro cost_round_to_cents(amount, target, partition_by, tie_breakers) -%}
    ((
        floor({{ amount }} * 100)
        + case
            when row_number() over (
                partition by {{ partition_by }}
                order by {{ amount }} * 100 - floor({{ amount }} * 100) desc, {{ tie_breakers }}
            ) <= {{ target }} * 100 - sum(floor({{ amount }} * 100)) over (partition by {{ partition_by }})
            then 1
            else 0
        end
    ) / 100)::numeric(18, 2)
{%- endmacro %}

{#- Pre-hook of cost_daily: remove the rows of slices whose load is no longer the current one in the source
    (the slice was reloaded or deleted), so the model can insert the new load's rows in their place. The sets of
    (slice, load) are compared, not rows: few, so the delete is one hash join whatever the planner estimates. -#}
{% macro cost_delete_replaced_slices(source_relation) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where (provider, billing_account_id, billing_period, load_id) in (
            select provider, billing_account_id, billing_period, load_id from {{ this }}
            except
            select provider, billing_account_id, billing_period, load_id from {{ source_relation }}
        )
    {%- endif -%}
{%- endmacro %}
