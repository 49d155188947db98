-- The sampling rules (rules/sampling) go through the same authoring loop as the grading rules:
-- their audit entries are told apart by the rule-set kind, as versions already are.
alter table rule_audit add column kind varchar(16) not null default 'GRADING' check (kind in ('GRADING', 'SAMPLING'));
create index rule_audit_kind_at_idx on rule_audit(kind, at);
