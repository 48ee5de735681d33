-- records becomes a table range-partitioned by fix_time: one partition per calendar month (UTC), named
-- records_yYYYYmMM, and records_default for every fix time no monthly partition covers (garbage dates of
-- broken trackers, months not created yet). Same columns, same natural key (device_uid, fix_time,
-- content_hash; allowed on a partitioned table because it contains the partition key), so inserts stay
-- idempotent with ON CONFLICT ON CONSTRAINT records_natural_key. The id sequence is kept (the quality
-- watermark reads ids); the primary key becomes (id, fix_time), as a partitioned key must hold fix_time.
-- An existing table is converted in place: its rows are moved into the partitions in this transaction.

alter table records rename to records_unpartitioned;
alter table records_unpartitioned rename constraint records_pkey to records_unpartitioned_pkey;
alter table records_unpartitioned rename constraint records_natural_key to records_unpartitioned_natural_key;
alter sequence records_id_seq owned by none;

create table records (
    id           bigint not null default nextval('records_id_seq'),
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
    constraint records_pkey primary key (id, fix_time),
    constraint records_natural_key unique (device_uid, fix_time, content_hash)
) partition by range (fix_time);
alter sequence records_id_seq owned by records.id;

create table records_default partition of records default;

-- Creates the monthly partition of the month that contains `month` (UTC), unless it exists; rows of that
-- month waiting in records_default move into it in the same transaction. Returns true when it was created.
-- Called by this migration and by the partition maintenance route (io.fleetcore.store.RecordPartitions).
create function records_partition_create(month date) returns boolean language plpgsql as $$
declare
    lo   timestamptz := (date_trunc('month', month)::timestamp) at time zone 'UTC';
    hi   timestamptz := ((date_trunc('month', month) + interval '1 month')::timestamp) at time zone 'UTC';
    name text := 'records_y' || to_char(date_trunc('month', month), 'YYYY') || 'm' || to_char(date_trunc('month', month), 'MM');
begin
    if to_regclass(name) is not null then
        return false;
    end if;
    execute format('create table %I (like records including defaults including constraints)', name);
    execute format('with moved as (delete from records_default where fix_time >= %L and fix_time < %L returning *)'
                   ' insert into %I select * from moved', lo, hi, name);
    execute format('alter table records attach partition %I for values from (%L) to (%L)', name, lo, hi);
    return true;
end $$;

-- the months the existing rows fall in (within a sane window), this month and the next three
select records_partition_create(m::date)
from (select distinct date_trunc('month', fix_time at time zone 'UTC') as m
      from records_unpartitioned
      where fix_time >= timestamptz '2000-01-01 00:00:00+00' and fix_time < now() + interval '1 year'
      union
      select date_trunc('month', (now() at time zone 'UTC') + make_interval(months => n))
      from generate_series(0, 3) n) months
order by m;

insert into records select * from records_unpartitioned;
drop table records_unpartitioned;
