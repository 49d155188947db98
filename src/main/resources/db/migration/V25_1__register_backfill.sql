-- Issue 15: plans created before the public register existed (V15_1) have no register entry. At
-- start-up the service appends one entry of kind BACKFILLED (补登) for each of them (RegisterBackfill):
-- the digests of the plan's stored fields as they are at that moment, marked as registered after the
-- draw, so that verify can say so and never presents them as committed before the draw.
alter table plan_register drop constraint if exists plan_register_kind_check;
alter table plan_register add constraint plan_register_kind_check
    check (kind in ('CREATED', 'BACKFILLED', 'CANCELLED', 'VOIDED', 'INSPECTOR_REPLACED'));
