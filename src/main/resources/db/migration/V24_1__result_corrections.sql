-- Issue 16: a recorded visit result is corrected through the four-eyes queue. A proposed correction
-- is a pending_approval of kind RESULT_CORRECTION (its payload is the corrected result, not an
-- event); only when a second officer approves it are the visit's result rows and their INSPECTION
-- events corrected (new events superseding the old ones) and the merchant regraded.
alter table pending_approval add column kind varchar(32) not null default 'EVENT'
    check (kind in ('EVENT', 'RESULT_CORRECTION'));
alter table pending_approval add column visit_id bigint references plan_visit(id);
-- what the item changes, in words (zh-CN), for the work queue
alter table pending_approval add column summary varchar(4000);
create index pending_approval_visit_idx on pending_approval(visit_id, submitted_at) where visit_id is not null;

-- the last approved correction of a result row
alter table inspection_result add column corrected_at timestamptz;
alter table inspection_result add column correction_approval_id bigint references pending_approval(id);
