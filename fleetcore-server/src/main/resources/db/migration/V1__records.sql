-- Every stored record. The natural key (device, fix time, content hash) makes inserts idempotent:
-- retransmits and redeliveries hit ON CONFLICT DO NOTHING.
create table devices (
    device_uid      text primary key,
    protocol        text,
    enabled         boolean not null default true,
    registered_at   timestamptz not null default now(),
    rejected_frames bigint not null default 0
);

create table records (
    id           bigserial primary key,
    device_uid   text not null,
    fix_time     timestamptz not null,
    content_hash text not null,
    latitude     double precision not null,
    longitude    double precision not null,
    altitude     double precision,
    speed_kmh    double precision,
    angle        integer,
    satellites   integer,
    priority     integer,
    event_code   text,
    protocol     text not null,
    obd          jsonb not null default '{}',
    io           jsonb not null default '{}',
    received_at  timestamptz not null default now(),
    constraint records_natural_key unique (device_uid, fix_time, content_hash)
);

-- Frames that could not be decoded: kept with their bytes so a capture becomes a test vector.
create table rejected_frames (
    id             bigserial primary key,
    protocol       text not null,
    device_uid     text,
    remote_address text,
    reason         text not null,
    detail         text,
    frame_hex      text not null,
    received_at    timestamptz not null default now()
);
create index rejected_frames_device on rejected_frames (device_uid, received_at);
