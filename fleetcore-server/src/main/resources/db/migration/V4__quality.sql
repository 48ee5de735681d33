-- Data quality, device integrity and service heartbeats (io.fleetcore.check).
-- Records are never changed by any of this: findings point at them.

-- One row per rule class. limit_value tunes the rule (its unit is in the description); threshold is how
-- many findings (or rejected frames) of one device within the integrity window open a device alert.
create table quality_rules (
    code        text primary key,
    description text not null,
    enabled     boolean not null default true,
    limit_value double precision,
    threshold   integer not null,
    critical    boolean not null default false
);

insert into quality_rules (code, description, limit_value, threshold, critical) values
    ('coordinates_out_of_range', 'latitude outside [-90, 90] or longitude outside [-180, 180]', null, 5, true),
    ('null_island', 'latitude 0 and longitude 0 with a valid fix (satellites unknown or > 0)', null, 5, false),
    ('fix_in_future', 'fix time later than received time by more than limit_value seconds', 300, 5, false),
    ('fix_too_old', 'fix time earlier than received time by more than limit_value seconds', 2592000, 50, false),
    ('speed_too_high', 'reported speed above limit_value km/h', 250, 10, false),
    ('position_jump', 'implied speed between consecutive fixes of the device above limit_value km/h', 500, 10, false),
    ('unknown_event_code', 'event_code not in table event_codes', null, 20, false),
    ('obd_rpm_out_of_range', 'OBD rpm outside [0, 16383.75]', null, 10, false),
    ('obd_coolant_out_of_range', 'OBD coolant_temp_c outside [-40, 215]', null, 10, false),
    ('obd_fuel_level_out_of_range', 'OBD fuel_level_pct outside [0, 100]', null, 10, false),
    ('rejected_frames', 'frames of the device refused by a decoder (integrity only, no per-record check)', null, 10, true);

-- Event codes devices may send; unknown ones are flagged (not refused).
create table event_codes (
    code        text primary key,
    description text not null
);

insert into event_codes (code, description) values
    ('7000', 'Ignition On'),
    ('7001', 'Acceleration'),
    ('7002', 'Deceleration'),
    ('7003', 'Ignition Off'),
    ('4002', 'Position report');

-- One finding per record and rule; re-examining a record finds the same row (idempotent checks).
create table quality_findings (
    id         bigserial primary key,
    record_id  bigint not null,
    device_uid text not null,
    fix_time   timestamptz not null,
    rule_code  text not null references quality_rules (code),
    detail     text not null,
    found_at   timestamptz not null default now(),
    constraint quality_findings_once unique (record_id, rule_code)
);
create index quality_findings_window on quality_findings (found_at, device_uid, rule_code);

-- Progress of a periodic check over records (see QualityChecker for why there are two positions).
create table check_watermarks (
    check_name   text primary key,
    checked_to   bigint not null default 0,
    horizon_id   bigint not null default 0,
    horizon_xmax xid8 not null default '0'::xid8,
    updated_at   timestamptz not null default now()
);

-- Device alerts: at most one open alert per device and rule (the partial unique index makes opening it
-- idempotent across ticks and cluster nodes); a window without findings closes it.
create table device_alerts (
    id            bigserial primary key,
    device_uid    text not null,
    rule_code     text not null references quality_rules (code),
    finding_count bigint not null,
    opened_at     timestamptz not null default now(),
    closed_at     timestamptz
);
create unique index device_alerts_one_open on device_alerts (device_uid, rule_code) where closed_at is null;

-- Every status change of a watched service (PostgreSQL, RabbitMQ, gateway ports): one row per transition.
-- The newest row per service is its current status.
create table service_status (
    id         bigserial primary key,
    service    text not null,
    status     text not null check (status in ('UP', 'DOWN')),
    detail     text,
    instance   text not null,
    changed_at timestamptz not null default now()
);
create index service_status_latest on service_status (service, id desc);

-- Which instance ran which tick of a periodic check (shows one run per tick in a cluster).
create table check_runs (
    check_name   text not null,
    scheduled_at timestamptz not null,
    instance     text not null,
    ran_at       timestamptz not null default now(),
    primary key (check_name, scheduled_at, instance)
);
