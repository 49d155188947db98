-- Issue 16: what an inspection found, beyond one outcome per item.
-- Per-item deductions (扣分项: code and points, as the INSPECTION event carries them for grading),
-- the officers actually present (a subset of the visit's assigned team), and photos as evidence.
alter table inspection_result add column deductions jsonb;
alter table plan_visit add column present_inspector_ids bigint[];

-- Photos of a visit, kept in PostgreSQL with the result (backed up and access-checked with it).
-- Only signed-in users see them (console pages of the visit and the merchant); never published.
create sequence visit_photo_seq start with 1 increment by 50;
create table visit_photo (
    id           bigint primary key,
    visit_id     bigint       not null references plan_visit(id),
    merchant_id  bigint       not null references merchant(id),
    content_type varchar(32)  not null,
    file_name    varchar(200),
    size_bytes   integer      not null,
    sha256       char(64)     not null,
    data         bytea        not null,
    uploaded_at  timestamptz  not null default now(),
    uploaded_by  varchar(64)  not null
);
create index visit_photo_visit on visit_photo(visit_id, id);
create index visit_photo_merchant on visit_photo(merchant_id, id);
