-- Full error reports of bulk imports (issue 19): the answer lists the first 1,000 errors; the whole
-- list is kept here as a gzip-compressed CSV (zh-CN headers) for download as CSV or XLSX, for 7 days.
create table import_error_report (
    id          uuid primary key,
    created_at  timestamptz not null default now(),
    created_by  text not null,
    subject     text not null,
    error_count bigint not null,
    content     bytea not null
);
create index import_error_report_created_at on import_error_report (created_at);
