-- "Double random, one public" (双随机、一公开): the inspection item list, the inspector registry,
-- drawn plans with their recorded inputs, visits, results and their publication.

-- 随机抽查事项清单: one row per item and year edition.
create sequence inspection_item_seq start with 1 increment by 50;
create table inspection_item (
    id               bigint primary key,
    edition          int           not null check (edition between 2000 and 2100),
    code             varchar(32)   not null,
    name             varchar(200)  not null,
    legal_basis      varchar(2000) not null,
    -- Applies to merchants of these categories or key-unit types; both empty: to every merchant.
    categories       jsonb         not null default '[]',
    key_unit_types   jsonb         not null default '[]',
    mode             varchar(16)   not null check (mode in ('ON_SITE', 'NON_SITE')),
    -- Which sampling policy of rules/sampling applies (the rules match on it), e.g. RISK_BASED.
    sampling_policy  varchar(64)   not null,
    description      varchar(1000),
    active           boolean       not null default true,
    created_at       timestamptz   not null default now(),
    updated_at       timestamptz   not null default now(),
    updated_by       varchar(64)   not null,
    version          int           not null default 0,
    unique (edition, code)
);

-- 执法检查人员名录库.
create sequence inspector_seq start with 1 increment by 50;
create table inspector (
    id               bigint primary key,
    badge_no         varchar(32)   not null unique,
    name             varchar(100)  not null,
    squad_code       varchar(32)   not null references squad(code),
    active           boolean       not null default true,
    -- Item codes (any edition) the inspector is qualified for.
    qualified_items  jsonb         not null default '[]',
    -- Declared conflicts of interest (回避): merchants by uscc, persons by name.
    conflict_usccs   jsonb         not null default '[]',
    conflict_persons jsonb         not null default '[]',
    created_at       timestamptz   not null default now(),
    updated_at       timestamptz   not null default now(),
    updated_by       varchar(64)   not null,
    version          int           not null default 0
);
create index inspector_squad_idx on inspector(squad_code);

-- A drawn plan and everything needed to re-run its draw and matching (全程留痕): the seed, the
-- candidate list with strata and proportions, and the matching inputs, each with its digest.
-- Plans, visits and results are written with plain JDBC (COPY for visits): sequences step by 1.
create sequence inspection_plan_seq start with 1 increment by 1;
create table inspection_plan (
    id                     bigint primary key,
    name                   varchar(200) not null,
    edition                int          not null,
    items                  jsonb        not null,
    scope                  jsonb        not null,
    period_start           date         not null,
    period_end             date         not null,
    weeks                  int          not null,
    evaluation_date        date         not null,
    seed                   varchar(64)  not null,
    seed_generated         boolean      not null,
    seed_commitment        varchar(64)  not null,
    inspector_squads       jsonb,
    inspectors_per_visit   int          not null check (inspectors_per_visit between 2 and 5),
    sampling_rules_version varchar(64)  not null,
    strata                 jsonb        not null,
    exclusions             jsonb        not null,
    candidates             bytea        not null,
    candidates_sha256      varchar(64)  not null,
    match_inputs           bytea        not null,
    draw_sha256            varchar(64)  not null,
    inputs_sha256          varchar(64)  not null,
    result_sha256          varchar(64)  not null,
    visit_count            int          not null,
    merchant_count         int          not null,
    pools                  jsonb        not null default '[]',
    warnings               jsonb        not null default '[]',
    timings                jsonb,
    created_by             varchar(64)  not null,
    created_at             timestamptz  not null default now(),
    notice_published_at    timestamptz,
    notice_published_by    varchar(64)
);

-- Already gzipped: no second compression attempt by TOAST.
alter table inspection_plan alter column candidates set storage external;
alter table inspection_plan alter column match_inputs set storage external;

-- One visit (进一次门、查多项事): a merchant, the items checked together, the window and the inspectors.
-- Written only by plan creation, all visits of a plan in one COPY in the plan's transaction. No foreign
-- keys here: per-row FK triggers tripled the time to store 100,000 visits, merchants and squads are
-- never deleted, and verify re-checks every visit against the plan's recorded inputs anyway.
create table plan_visit (
    id            bigint primary key,
    plan_id       bigint       not null,
    visit_no      int          not null,
    merchant_id   bigint       not null,
    uscc          varchar(18)  not null,
    squad_code    varchar(32)  not null,
    window_start  date         not null,
    window_end    date         not null,
    week          int,
    item_codes    varchar(32)[] not null,
    strata        varchar(100)[] not null,
    inspector_ids bigint[]     not null,
    status        varchar(16)  not null default 'PENDING' check (status in ('PENDING', 'DONE')),
    done_at       timestamptz,
    unique (plan_id, visit_no)
);
create sequence plan_visit_seq start with 1 increment by 1;

-- A visit's result per item; it is also stored as an INSPECTION event (event_id).
create sequence inspection_result_seq start with 1 increment by 1;
create table inspection_result (
    id                bigint primary key,
    visit_id          bigint        not null references plan_visit(id),
    plan_id           bigint        not null references inspection_plan(id),
    merchant_id       bigint        not null references merchant(id),
    item_code         varchar(32)   not null,
    outcome           varchar(32)   not null,
    findings          varchar(2000),
    score             numeric(6,2),
    inspected_on      date          not null,
    event_id          bigint        not null references merchant_event(id),
    recorded_at       timestamptz   not null,
    recorded_by       varchar(64)   not null,
    publish_deadline  date          not null,
    published_at      timestamptz,
    published_by      varchar(64),
    unique (visit_id, item_code)
);
create index inspection_result_plan_idx on inspection_result(plan_id);
create index inspection_result_public_idx on inspection_result(inspected_on) where published_at is not null;

-- Last inspection per merchant and item, read for every candidate of a plan.
create index merchant_event_inspection_idx on merchant_event(merchant_id, item_code, occurred_at)
    where type = 'INSPECTION' and superseded_by is null;
