-- Issue 16: each inspection item has a stored checklist (检查要点): [{"code": "GS-01-01", "text": "…", "maxPoints": 5}, …].
-- The result form offers its codes as deductions; a deduction must name one of them when the list is not empty.
alter table inspection_item add column checklist jsonb not null default '[]';
