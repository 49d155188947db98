-- Indexes that let a plan over the whole district read what it needs from indexes alone.
--
-- The last inspection of every drawn merchant (tens of thousands at once), to keep its previous
-- inspectors away when others are available: ordered by time and carrying the inspectors, no sort
-- and no table reads.
create index if not exists merchant_event_last_inspection_idx on merchant_event (merchant_id, occurred_at desc, id desc)
    include (inspectors) where type = 'INSPECTION' and superseded_by is null;

-- Every candidate's grade and score, in merchant order, without reading the wide grade rows (their
-- reasons). A regrade that leaves grade and score as they are still updates rows in place (HOT).
create index if not exists merchant_grade_plan_idx on merchant_grade (merchant_id) include (grade, score);
