-- Grades that are always right (issue 13).
--
-- merchant_freshness.data_version counts the changes to a merchant's facts (events, corrections,
-- registry changes). It is bumped in the transaction that makes the change, under the row's lock, so
-- its values commit in order: a statement that sees version v sees every change up to v. "pending"
-- is the durable "needs regrade" mark written in that same transaction; whoever grades the merchant
-- from version v or later clears it (any instance, within seconds, also after a crash).
create table merchant_freshness (
    merchant_id  bigint      primary key references merchant(id),
    data_version bigint      not null default 0,
    pending      boolean     not null default false,
    changed_at   timestamptz not null default now()
);
-- Few rows are pending at any time: the drain and the regrades that clear marks find them through this index.
create index merchant_freshness_pending_idx on merchant_freshness(merchant_id) where pending;

-- The data version a stored grade was computed from: a grade computed from older data never
-- overwrites one computed from newer data.
alter table merchant_grade add column data_version bigint not null default 0;

-- Merchants whose evaluation faulted (the rules threw, looped or overran for them): they keep their
-- last good grade and are listed here until an evaluation succeeds again.
create table grade_fault (
    merchant_id      bigint        primary key references merchant(id),
    rule_set_version varchar(64)   not null,
    rule_name        varchar(300),
    message          varchar(2000) not null,
    data_version     bigint        not null default 0,
    first_at         timestamptz   not null default now(),
    last_at          timestamptz   not null default now(),
    attempts         int           not null default 1
);
