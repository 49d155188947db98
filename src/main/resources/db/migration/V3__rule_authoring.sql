-- Rule authoring: the test scenarios that travel with each rule-set version, and an audit log of
-- every reload, upload, validation, test run, simulation, activation and rollback.

-- Scenario files (path -> YAML text). Not part of the version hash: they do not change what it grades.
alter table rule_set_version add column tests jsonb not null default '{}';

create sequence rule_audit_seq start with 1 increment by 50;
create table rule_audit (
    id          bigint primary key,
    at          timestamptz   not null default now(),
    username    varchar(64)   not null,
    action      varchar(16)   not null check (action in ('STARTUP', 'RELOAD', 'UPLOAD', 'VALIDATE', 'TEST', 'SIMULATE', 'ACTIVATE', 'ROLLBACK')),
    version     varchar(64),
    -- the version that was active before an activation or rollback
    previous    varchar(64),
    outcome     varchar(16)   not null check (outcome in ('OK', 'FAILED', 'STARTED')),
    comment     varchar(1000),
    -- one line in zh-CN: what happened
    summary     varchar(1000) not null,
    -- problems, failed scenarios, job id ...
    details     jsonb
);
create index rule_audit_at_idx on rule_audit(at);
create index rule_audit_version_idx on rule_audit(version, at);
