-- Incremental daily regrade (issue 18): the first date on which a merchant's stored result can change
-- without a new event (an event crossing a window boundary of the rules, or leaving the look-back),
-- computed with the grade from the same facts. 'infinity': nothing but a new event can change it.
-- Null: not known (grades stored before this column existed, or rules that use ages in a way that
-- cannot be bounded): due every day.
-- The daily job regrades the merchants whose date has come (next_change_date <= today or null) and
-- those marked "needs regrade" (merchant_freshness.pending).
alter table merchant_grade add column next_change_date date;
create index merchant_grade_next_change_idx on merchant_grade(next_change_date);
