-- Issue 14, four eyes: an event or correction that would lower a merchant's grade, or that takes a
-- published adverse result off the record (credit repair included), waits here until a second
-- officer approves it. Until then it is not in merchant_event, so no reader of grading facts
-- (grading, simulation, scenarios, backtest, plans, publication) can see it.
create sequence pending_approval_seq start with 1 increment by 50;
create table pending_approval (
    id              bigint primary key,
    merchant_id     bigint        not null references merchant(id),
    event_type      varchar(16)   not null,
    source          varchar(64)   not null,
    source_id       varchar(128)  not null,
    -- the event as submitted (EventInput JSON): stored as it is when approved
    payload         jsonb         not null,
    supersedes_event_id bigint    references merchant_event(id),
    -- why it needs a second officer (zh-CN), and the grades without and with it
    reason          varchar(1000) not null,
    grade_before    varchar(8),
    grade_after     varchar(8),
    submitted_by    varchar(64)   not null,
    submitted_at    timestamptz   not null default now(),
    status          varchar(16)   not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'REFUSED')),
    decided_by      varchar(64),
    decided_at      timestamptz,
    decision_comment varchar(1000),
    -- the event stored on approval
    event_id        bigint        references merchant_event(id)
);
create index pending_approval_status_idx on pending_approval(status, submitted_at);
create index pending_approval_merchant_idx on pending_approval(merchant_id, submitted_at);
-- one open item per source id (the same submission twice is one item)
create unique index pending_approval_open_source_idx on pending_approval(source, source_id) where status = 'PENDING';

-- Who submitted, approved or refused what: append-only, sealed into the audit hash chain (AuditChain).
create sequence approval_audit_seq start with 1 increment by 50;
create table approval_audit (
    id          bigint primary key,
    at          timestamptz   not null default now(),
    username    varchar(64)   not null,
    approval_id bigint        not null references pending_approval(id),
    merchant_id bigint        not null,
    action      varchar(16)   not null check (action in ('SUBMIT', 'APPROVE', 'REFUSE')),
    comment     varchar(1000),
    event_id    bigint
);
create index approval_audit_approval_idx on approval_audit(approval_id, at);

-- Four eyes for rule changes (both kinds): a version is proposed by its author and approved or
-- returned by a reviewer (法制审核) who is not the author; only approved versions can be activated.
alter table rule_set_version add column approval_state varchar(16) not null default 'DRAFT'
    check (approval_state in ('DRAFT', 'PROPOSED', 'APPROVED', 'RETURNED'));
alter table rule_set_version add column proposed_by varchar(64);
alter table rule_set_version add column proposed_at timestamptz;
alter table rule_set_version add column proposal_comment varchar(1000);
alter table rule_set_version add column reviewed_by varchar(64);
alter table rule_set_version add column reviewed_at timestamptz;
alter table rule_set_version add column review_comment varchar(1000);
-- What has been live before was accepted then: approved by the system, so rollbacks to it keep working.
update rule_set_version set approval_state = 'APPROVED', reviewed_by = 'system', reviewed_at = now(),
    review_comment = '审批功能上线前已生效的版本' where active or activated_at is not null;

alter table rule_audit drop constraint if exists rule_audit_action_check;
alter table rule_audit add constraint rule_audit_action_check check (action in ('STARTUP', 'RELOAD', 'UPLOAD', 'VALIDATE', 'TEST',
    'SIMULATE', 'ACTIVATE', 'ROLLBACK', 'PROPOSE', 'APPROVE', 'RETURN'));
