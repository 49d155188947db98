-- Registry foundation: reference data (squads, streets), merchants with their audit trail, users.

create table squad (
    code        varchar(32) primary key,
    name        varchar(100) not null,
    kind        varchar(16)  not null check (kind in ('STREET', 'MOBILE', 'RAILWAY'))
);

create table street (
    code        varchar(32) primary key,
    name        varchar(100) not null unique,
    squad_code  varchar(32)  not null references squad(code),
    sort_order  int          not null
);

-- Which streets a squad works on. A street squad has its own street; the mobile squad covers the
-- whole district; the railway-station squad the two streets around Shanghai Railway Station.
create table squad_street (
    squad_code  varchar(32) not null references squad(code),
    street_code varchar(32) not null references street(code),
    primary key (squad_code, street_code)
);

insert into squad (code, name, kind) values
 ('sq-jingansi',    '静安寺街道综合行政执法队',   'STREET'),
 ('sq-caojiadu',    '曹家渡街道综合行政执法队',   'STREET'),
 ('sq-jiangninglu', '江宁路街道综合行政执法队',   'STREET'),
 ('sq-shimenerlu',  '石门二路街道综合行政执法队', 'STREET'),
 ('sq-nanjingxilu', '南京西路街道综合行政执法队', 'STREET'),
 ('sq-tianmuxilu',  '天目西路街道综合行政执法队', 'STREET'),
 ('sq-beizhan',     '北站街道综合行政执法队',     'STREET'),
 ('sq-baoshanlu',   '宝山路街道综合行政执法队',   'STREET'),
 ('sq-gonghexinlu', '共和新路街道综合行政执法队', 'STREET'),
 ('sq-daninglu',    '大宁路街道综合行政执法队',   'STREET'),
 ('sq-pengpuxincun','彭浦新村街道综合行政执法队', 'STREET'),
 ('sq-linfenlu',    '临汾路街道综合行政执法队',   'STREET'),
 ('sq-zhijiangxilu','芷江西路街道综合行政执法队', 'STREET'),
 ('sq-pengpuzhen',  '彭浦镇综合行政执法队',       'STREET'),
 ('sq-mobile',      '机动执法中队',               'MOBILE'),
 ('sq-railway',     '铁路上海站执法中队',         'RAILWAY');

insert into street (code, name, squad_code, sort_order) values
 ('jingansi',     '静安寺街道',   'sq-jingansi',     1),
 ('caojiadu',     '曹家渡街道',   'sq-caojiadu',     2),
 ('jiangninglu',  '江宁路街道',   'sq-jiangninglu',  3),
 ('shimenerlu',   '石门二路街道', 'sq-shimenerlu',   4),
 ('nanjingxilu',  '南京西路街道', 'sq-nanjingxilu',  5),
 ('tianmuxilu',   '天目西路街道', 'sq-tianmuxilu',   6),
 ('beizhan',      '北站街道',     'sq-beizhan',      7),
 ('baoshanlu',    '宝山路街道',   'sq-baoshanlu',    8),
 ('gonghexinlu',  '共和新路街道', 'sq-gonghexinlu',  9),
 ('daninglu',     '大宁路街道',   'sq-daninglu',    10),
 ('pengpuxincun', '彭浦新村街道', 'sq-pengpuxincun',11),
 ('linfenlu',     '临汾路街道',   'sq-linfenlu',    12),
 ('zhijiangxilu', '芷江西路街道', 'sq-zhijiangxilu',13),
 ('pengpuzhen',   '彭浦镇',       'sq-pengpuzhen',  14);

insert into squad_street (squad_code, street_code) select squad_code, code from street;
insert into squad_street (squad_code, street_code) select 'sq-mobile', code from street;
insert into squad_street (squad_code, street_code) values ('sq-railway', 'tianmuxilu'), ('sq-railway', 'beizhan');

create sequence merchant_seq start with 1 increment by 50;

create table merchant (
    id             bigint primary key,
    uscc           varchar(18)  not null unique,
    name           varchar(200) not null,
    address        varchar(300) not null,
    street_code    varchar(32)  not null references street(code),
    category       varchar(32)  not null,
    key_unit       boolean      not null default false,
    key_unit_type  varchar(32),
    status         varchar(16)  not null check (status in ('OPERATING', 'SUSPENDED', 'CLOSED')),
    opened_on      date         not null,
    contact_name   varchar(100),
    contact_phone  varchar(40),
    longitude      numeric(9,6),
    latitude       numeric(9,6),
    created_at     timestamptz  not null default now(),
    updated_at     timestamptz  not null default now(),
    version        int          not null default 0,
    check (key_unit or key_unit_type is null),
    check (not key_unit or key_unit_type is not null)
);
create index merchant_street_idx on merchant(street_code, id);
create index merchant_category_idx on merchant(category);
create index merchant_status_idx on merchant(status);
create index merchant_key_unit_idx on merchant(key_unit) where key_unit;
-- Text search in name/address: trigram-free but usable prefix-and-contains via lower(); see README.
create index merchant_name_idx on merchant(name varchar_pattern_ops);

-- Every change to a merchant: who, when, what (field -> [old, new]).
create sequence merchant_audit_seq start with 1 increment by 50;
create table merchant_audit (
    id           bigint primary key,
    merchant_id  bigint       not null references merchant(id),
    action       varchar(16)  not null check (action in ('CREATE', 'UPDATE', 'CLOSE', 'IMPORT')),
    changed_by   varchar(64)  not null,
    changed_at   timestamptz  not null default now(),
    changes      jsonb        not null
);
create index merchant_audit_merchant_idx on merchant_audit(merchant_id, changed_at);

create sequence app_user_seq start with 1 increment by 50;
create table app_user (
    id             bigint primary key,
    username       varchar(64)  not null unique,
    password_hash  varchar(100) not null,
    role           varchar(16)  not null check (role in ('ADMIN', 'PLANNER', 'RULE_AUTHOR', 'SQUAD')),
    squad_code     varchar(32)  references squad(code),
    display_name   varchar(100) not null,
    enabled        boolean      not null default true,
    check ((role = 'SQUAD') = (squad_code is not null))
);

-- Facts about this database itself, e.g. whether it is a demo database.
create table system_setting (
    key    varchar(64) primary key,
    value  varchar(500) not null
);
