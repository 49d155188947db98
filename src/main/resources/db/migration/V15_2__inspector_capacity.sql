-- Issue 15, capacity before the plan: per squad, how many visits one inspector makes in a working day
-- and which weekdays are working days (defaults from app.capacity.*), and inspectors' leave.
create table squad_capacity (
    squad_code                   varchar(32)  primary key references squad(code),
    visits_per_inspector_per_day numeric(4,1) not null check (visits_per_inspector_per_day between 0.5 and 20),
    -- ISO weekdays, 1 = Monday ... 7 = Sunday, e.g. '1,2,3,4,5'.
    working_days                 varchar(20)  not null,
    updated_by                   varchar(64)  not null,
    updated_at                   timestamptz  not null default now()
);

create sequence inspector_leave_seq start with 1 increment by 1;
create table inspector_leave (
    id            bigint       primary key,
    inspector_id  bigint       not null references inspector(id),
    from_date     date         not null,
    to_date       date         not null,
    reason        varchar(200),
    created_by    varchar(64)  not null,
    created_at    timestamptz  not null default now(),
    check (to_date >= from_date)
);
create index inspector_leave_inspector_idx on inspector_leave(inspector_id, from_date);
