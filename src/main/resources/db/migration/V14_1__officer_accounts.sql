-- Issue 14: accounts per officer. A user has a main role (app_user.role; SQUAD users are bound to a
-- squad) and further roles (app_user_role), a badge number (执法证号, linked to the inspector
-- registry where one exists), an active flag (enabled), and must change a password an ADMIN reset.
-- Role names are checked by the service (Role enum), so that new roles need no schema change.
alter table app_user drop constraint if exists app_user_role_check;
alter table app_user alter column role type varchar(32);
alter table app_user add column badge_no varchar(32) unique;
alter table app_user add column must_change_password boolean not null default false;
alter table app_user add column created_at timestamptz not null default now();
alter table app_user add column updated_at timestamptz not null default now();
alter table app_user add column updated_by varchar(64);

create table app_user_role (
    user_id  bigint      not null references app_user(id),
    role     varchar(32) not null,
    primary key (user_id, role)
);

-- Who changed which account how (create, roles, disable, enable, password reset, own password change).
create sequence user_audit_seq start with 1 increment by 50;
create table user_audit (
    id          bigint primary key,
    user_id     bigint      not null references app_user(id),
    username    varchar(64) not null,
    action      varchar(32) not null,
    actor       varchar(64) not null,
    at          timestamptz not null default now(),
    detail      text
);
create index user_audit_user on user_audit(user_id, id);
