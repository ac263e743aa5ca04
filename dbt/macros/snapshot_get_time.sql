{#- The time dbt snapshots stamp what they cannot take from the data (a hard delete's dbt_valid_from and
    dbt_valid_to): the build's clock_now() rather than the wall clock, so a pinned clock (tests, demos) dates
    deletions on the same day as the sync that no longer saw the resource. Overrides dbt-postgres's
    postgres__snapshot_get_time (the root project's macros come first in dbt's dispatch). -#}
{%- macro postgres__snapshot_get_time() -%}
    {{ clock_now() }}
{%- endmacro -%}
