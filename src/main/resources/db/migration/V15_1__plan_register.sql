-- Issue 15: a draw nobody can bend.
-- * Every executable plan is entered on a public, hash-chained register (plan_register) in the same
--   transaction that stores it: its seed commitment and the SHA-256 of every stored field that
--   influences the draw, the matching or the notice. Cancelling, voiding and replacing an inspector
--   are entries too. Entries are never changed (trigger below); each carries the hash of the one before.
-- * Plans get a status (cancelled or voided with reason and officer), the reason given for an
--   accepted overlap with other plans, and the capacity check with the reason it was accepted.
-- * An AUDITOR role (纪检监察 / social supervisors) reads the full candidate files.

alter table inspection_plan
    add column status          varchar(16)  not null default 'ACTIVE' check (status in ('ACTIVE', 'CANCELLED', 'VOIDED')),
    add column status_reason   varchar(500),
    add column status_by       varchar(64),
    add column status_at       timestamptz,
    add column overlap_reason  varchar(500),
    add column overlapping_plans jsonb      not null default '[]',
    add column capacity        jsonb,
    add column capacity_reason varchar(500),
    add column record_sha256   varchar(64);

alter table plan_visit drop constraint if exists plan_visit_status_check;
alter table plan_visit add constraint plan_visit_status_check check (status in ('PENDING', 'DONE', 'CANCELLED'));

create sequence plan_register_seq start with 1 increment by 1;
create table plan_register (
    seq          bigint       primary key,
    plan_id      bigint       not null references inspection_plan(id),
    kind         varchar(24)  not null check (kind in ('CREATED', 'CANCELLED', 'VOIDED', 'INSPECTOR_REPLACED')),
    recorded_at  timestamptz  not null,
    officer      varchar(64)  not null,
    -- Canonical JSON (keys sorted, no spaces, UTF-8); entry_sha256 = SHA-256(prev_sha256 || '\n' || body).
    body         text         not null,
    prev_sha256  varchar(64)  not null,
    entry_sha256 varchar(64)  not null unique
);
create index plan_register_plan_idx on plan_register(plan_id, seq);

create or replace function plan_register_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'plan_register is append-only';
end $$;
create trigger plan_register_no_change before update or delete on plan_register
    for each row execute function plan_register_append_only();

-- An inspector replaced on a visit (illness, newly declared conflict): a recorded random re-match
-- among the eligible of the plan's recorded pool, re-run by verify.
create sequence visit_replacement_seq start with 1 increment by 1;
create table visit_replacement (
    id                    bigint       primary key,
    plan_id               bigint       not null references inspection_plan(id),
    visit_no              int          not null,
    replaced_inspector_id bigint       not null,
    new_inspector_id      bigint       not null,
    kind                  varchar(16)  not null check (kind in ('ILLNESS', 'CONFLICT', 'OTHER')),
    reason                varchar(500) not null,
    -- Badges the officer or the registry ruled out besides the replaced one (inactive, newly conflicted).
    unavailable           jsonb        not null default '[]',
    recorded_by           varchar(64)  not null,
    recorded_at           timestamptz  not null
);
create index visit_replacement_plan_idx on visit_replacement(plan_id, id);

-- (Role names, AUDITOR included, are checked by the service's Role enum since V14_1: no constraint here.)
