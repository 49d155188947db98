-- Events (append-only), rule-set versions, grades with their history, and jobs claimed in chunks.

create sequence merchant_event_seq start with 1 increment by 50;
create table merchant_event (
    id                 bigint primary key,
    merchant_id        bigint       not null references merchant(id),
    type               varchar(16)  not null check (type in ('CASE', 'COMPLAINT', 'INSPECTION', 'CREDIT', 'DETECTION')),
    source             varchar(32)  not null,
    source_id          varchar(64)  not null,
    occurred_at        timestamptz  not null,
    recorded_at        timestamptz  not null default now(),
    recorded_by        varchar(64)  not null,
    -- A correction names the event it replaces; the replaced one gets superseded_by and stops counting.
    supersedes_id      bigint       references merchant_event(id),
    superseded_by      bigint       references merchant_event(id),
    -- case (案件)
    case_no            varchar(64),
    violation_type     varchar(32),
    severity           varchar(16),
    fine_yuan          numeric(12,2),
    from_complaint     boolean,
    closed_on          date,
    -- complaint (投诉工单)
    channel            varchar(16),
    complaint_category varchar(64),
    verified           boolean,
    linked_case_no     varchar(64),
    -- inspection result (检查结果)
    item_code          varchar(32),
    outcome            varchar(32),
    score              numeric(6,2),
    deductions         jsonb,
    inspectors         varchar(500),
    -- credit record (信用记录)
    credit_action      varchar(16),
    -- non-site detection (非现场执法)
    detection_source   varchar(16),
    detection_type     varchar(64),
    evidence_ref       varchar(200),
    note               varchar(1000),
    unique (source, source_id)
);
create index merchant_event_merchant_idx on merchant_event(merchant_id, occurred_at);

-- A rule-set version: the full text of its files, identified by a hash of that content.
create table rule_set_version (
    hash         varchar(64) primary key,
    kind         varchar(16)  not null default 'GRADING',
    files        jsonb        not null,
    created_at   timestamptz  not null default now(),
    created_by   varchar(64)  not null,
    comment      varchar(1000),
    source       varchar(16)  not null,
    active       boolean      not null default false,
    activated_at timestamptz,
    activated_by varchar(64)
);
create unique index rule_set_one_active_idx on rule_set_version(kind) where active;

create table merchant_grade (
    merchant_id      bigint primary key references merchant(id),
    grade            varchar(8)   not null check (grade in ('GREEN', 'YELLOW', 'RED')),
    score            int          not null,
    rule_set_version varchar(64)  not null,
    evaluated_at     timestamptz  not null,
    evaluation_date  date         not null,
    reasons          jsonb        not null
);
create index merchant_grade_grade_idx on merchant_grade(grade);

create sequence grade_history_seq start with 1 increment by 50;
create table grade_history (
    id               bigint primary key default nextval('grade_history_seq'),
    merchant_id      bigint       not null references merchant(id),
    old_grade        varchar(8),
    new_grade        varchar(8)   not null,
    old_score        int,
    new_score        int          not null,
    changed_at       timestamptz  not null,
    rule_set_version varchar(64)  not null,
    cause            varchar(200) not null,
    reasons          jsonb        not null
);
create index grade_history_merchant_idx on grade_history(merchant_id, changed_at);

-- Counts per day, street, category and grade, written after each full regrade: the trend over time.
create table grade_daily_count (
    day          date        not null,
    street_code  varchar(32) not null,
    category     varchar(32) not null,
    grade        varchar(8)  not null,
    merchants    int         not null,
    primary key (day, street_code, category, grade)
);

create sequence job_seq start with 1 increment by 50;
create table job (
    id             bigint primary key,
    type           varchar(32)  not null,
    status         varchar(16)  not null check (status in ('RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    created_by     varchar(64)  not null,
    created_at     timestamptz  not null default now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    total          bigint       not null default 0,
    done           bigint       not null default 0,
    params         jsonb        not null default '{}',
    result         jsonb,
    error          varchar(4000),
    -- e.g. 'daily-2026-11-27': keeps several instances from starting the same scheduled job twice
    dedupe_key     varchar(100) unique
);

-- A job's work in merchant-id ranges, claimed with SELECT ... FOR UPDATE SKIP LOCKED by any instance.
create table job_chunk (
    job_id       bigint      not null references job(id),
    chunk_no     int         not null,
    from_id      bigint      not null,
    to_id        bigint      not null,
    status       varchar(16) not null check (status in ('PENDING', 'CLAIMED', 'DONE')),
    claimed_by   varchar(64),
    lease_until  timestamptz,
    done_count   int         not null default 0,
    result       jsonb,
    primary key (job_id, chunk_no)
);
create index job_chunk_open_idx on job_chunk(job_id, status) where status <> 'DONE';
