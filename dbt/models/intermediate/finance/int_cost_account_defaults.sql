-- Team and project per sub account (var costs.account_defaults) for charges that tags and tag rules leave open.
select
    account.key as sub_account_id,
    account.value ->> 'team' as team,
    account.value ->> 'project' as project
from jsonb_each({{ cost_config_json('account_defaults') }}) as account
