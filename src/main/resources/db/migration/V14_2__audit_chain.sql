-- Issue 14: tamper-evident audit trails. AuditChain seals the rows of every audit table: each
-- sealed row's SHA-256 over a canonical encoding (its jsonb text in UTC, minus the columns the
-- service legitimately updates later) is stored in audit_seal, and each sealing batch is chained:
-- batch_hash = sha256(prev_hash || rows_hash || batch_no), rows_hash = sha256 of the batch's row
-- hashes in id order. Verification recomputes both and reports the first broken link; a row
-- changed or deleted directly in PostgreSQL no longer matches its seal.
create table audit_seal_batch (
    table_name  varchar(64) not null,
    batch_no    bigint      not null,
    row_count   int         not null,
    rows_hash   bytea       not null,
    prev_hash   bytea       not null,
    batch_hash  bytea       not null,
    sealed_at   timestamptz not null default now(),
    primary key (table_name, batch_no)
);

create table audit_seal (
    table_name  varchar(64) not null,
    row_id      bigint      not null,
    batch_no    bigint      not null,
    row_hash    bytea       not null,
    primary key (table_name, row_id)
);
create index audit_seal_batch_idx on audit_seal(table_name, batch_no, row_id);

-- Logins (successful and failed) are an audit trail too.
create sequence login_audit_seq start with 1 increment by 50;
create table login_audit (
    id          bigint primary key,
    at          timestamptz not null default now(),
    username    varchar(64) not null,
    address     varchar(64),
    outcome     varchar(16) not null
);
