-- Tag rules (var costs.tag_rules) in order: a charge takes the team (project) of the first rule whose match is
-- contained in its normalised {team, project, env} tags and that sets a team (project).
select
    rule.rule_order,
    rule.definition -> 'match' as match_tags,
    rule.definition ->> 'team' as team,
    rule.definition ->> 'project' as project
from jsonb_array_elements({{ cost_config_json('tag_rules') }}) with ordinality as rule (definition, rule_order)
