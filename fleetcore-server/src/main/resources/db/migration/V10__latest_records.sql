-- latest_records: one row per device, a copy of its newest record by (fix_time, content_hash), so that
-- api.latest_positions reads a page of devices from one small table instead of probing the records key (one
-- leaf page per device of an index far larger than shared_buffers at fleet scale).
--
-- Kept by a statement trigger on records, in the transaction of the insert: once per INSERT statement it
-- upserts the newest row per device among the rows that statement actually inserted (the transition table
-- holds no row that ON CONFLICT DO NOTHING skipped), in device_uid order so that concurrent writers take the
-- row locks in the same order, and only over an older latest: a late record or a redelivered duplicate never
-- replaces a newer one. Every path that inserts records (the group commit, redelivery from RabbitMQ,
-- broker-first ingest, a hand-written INSERT) keeps it right. The primary key is its only index and an update
-- never changes device_uid, so updates are HOT (fillfactor leaves room on each page for the new version).
-- Retention drops monthly partitions without a trigger firing: it calls latest_records_refresh for the devices
-- whose latest row was in a dropped partition (io.fleetcore.store.Retention).

-- the columns of records (id is the record's), not-null where they are; no defaults: rows come from records
create table latest_records (like records) with (fillfactor = 70);
alter table latest_records add constraint latest_records_pkey primary key (device_uid);

create function latest_records_advance() returns trigger language plpgsql as $$
begin
    insert into latest_records as l (device_uid, id, fix_time, content_hash, latitude, longitude, altitude,
                                     speed_kmh, angle, satellites, priority, event_code, protocol, obd, io, received_at)
    select distinct on (n.device_uid)
           n.device_uid, n.id, n.fix_time, n.content_hash, n.latitude, n.longitude, n.altitude,
           n.speed_kmh, n.angle, n.satellites, n.priority, n.event_code, n.protocol, n.obd, n.io, n.received_at
    from inserted_records n
    order by n.device_uid, n.fix_time desc, n.content_hash desc
    on conflict (device_uid) do update
        set id = excluded.id, fix_time = excluded.fix_time, content_hash = excluded.content_hash,
            latitude = excluded.latitude, longitude = excluded.longitude, altitude = excluded.altitude,
            speed_kmh = excluded.speed_kmh, angle = excluded.angle, satellites = excluded.satellites,
            priority = excluded.priority, event_code = excluded.event_code, protocol = excluded.protocol,
            obd = excluded.obd, io = excluded.io, received_at = excluded.received_at
        where (excluded.fix_time, excluded.content_hash) > (l.fix_time, l.content_hash);
    return null;
end $$;

create trigger records_latest after insert on records
    referencing new table as inserted_records
    for each statement execute function latest_records_advance();

-- Sets the latest row of the given devices afresh from records: the newest record each still has, or no row
-- when it has none left (all of its records were dropped by retention). Returns the devices that kept a row.
-- Holds records in share mode until the transaction ends, so no insert (and no trigger) runs meanwhile.
create function latest_records_refresh(uids text[]) returns bigint language plpgsql as $$
declare
    kept bigint;
begin
    lock table records in share mode;
    delete from latest_records where device_uid = any(uids);
    insert into latest_records (device_uid, id, fix_time, content_hash, latitude, longitude, altitude,
                                speed_kmh, angle, satellites, priority, event_code, protocol, obd, io, received_at)
    select r.device_uid, r.id, r.fix_time, r.content_hash, r.latitude, r.longitude, r.altitude,
           r.speed_kmh, r.angle, r.satellites, r.priority, r.event_code, r.protocol, r.obd, r.io, r.received_at
    from (select distinct u from unnest(uids) u) d(device_uid)
    cross join lateral (
        select *
        from records r
        where r.device_uid = d.device_uid
        order by r.fix_time desc, r.content_hash desc
        limit 1) r;
    get diagnostics kept = row_count;
    return kept;
end $$;

-- the existing records: every device that has any (registered or not)
select latest_records_refresh(array(select device_uid from devices
                                    union
                                    select distinct device_uid from records));

-- Same columns and meaning as before (docs/schema.md), now a page of latest_records of registered devices.
-- device_id is latest_records' key, so a page (device_id > cursor order by device_id limit n) is one range of
-- its index; each row's device is then one probe of the devices key (offset 0 keeps that a nested loop: as a
-- plain join the planner merges the two keys and scans one of them from its start up to the cursor).
create or replace view api.latest_positions as
select r.id                                        as record_id,
       r.device_uid                                as device_id,
       r.content_hash,
       r.protocol,
       r.fix_time,
       r.received_at,
       r.latitude,
       r.longitude,
       r.altitude,
       r.speed_kmh,
       r.angle                                     as course,
       r.satellites,
       r.priority,
       r.event_code,
       api.num(r.obd -> 'rpm')                     as obd_rpm,
       api.num(r.obd -> 'speed_kmh')               as obd_speed_kmh,
       api.num(r.obd -> 'coolant_temp_c')          as obd_coolant_temp_c,
       api.num(r.obd -> 'engine_load_pct')         as obd_engine_load_pct,
       api.num(r.obd -> 'throttle_pct')            as obd_throttle_pct,
       api.num(r.obd -> 'fuel_level_pct')          as obd_fuel_level_pct,
       api.num(r.obd -> 'maf_gps')                 as obd_maf_gps,
       api.num(r.obd -> 'intake_air_temp_c')       as obd_intake_air_temp_c,
       api.num(r.obd -> 'ambient_air_temp_c')      as obd_ambient_air_temp_c,
       api.num(r.obd -> 'module_voltage_v')        as obd_module_voltage_v,
       api.num(r.obd -> 'obd_odometer_km')         as obd_odometer_km,
       api.num(r.obd -> 'dtc_count')               as obd_dtc_count,
       r.obd ->> 'vin'                             as obd_vin,
       r.obd -> 'dtcs'                             as obd_dtcs,
       case when r.io ? '239' then api.num(r.io -> '239') <> 0 end as io_ignition,
       case when r.io ? '240' then api.num(r.io -> '240') <> 0 end as io_movement,
       api.num(r.io -> '21')                       as io_gsm_signal,
       api.num(r.io -> '66') / 1000.0              as io_external_voltage_v,
       api.num(r.io -> '67') / 1000.0              as io_battery_voltage_v,
       api.num(r.io -> '16')                       as io_total_odometer_m,
       r.obd,
       r.io
from latest_records r
cross join lateral (select d.device_uid from devices d where d.device_uid = r.device_uid offset 0) d;

-- the last-seen part from latest_records too: same columns and meaning (one probe per device of the page, for
-- the reason given above)
create or replace view api.device_status as
select d.device_uid                                as device_id,
       d.protocol,
       d.enabled,
       d.registered_at,
       l.received_at                               as last_seen,
       l.fix_time                                  as last_fix_time,
       l.latitude                                  as last_latitude,
       l.longitude                                 as last_longitude,
       a.open_alerts,
       f.rejected_frames_24h,
       d.rejected_frames                           as rejected_frames_total,
       case
           when not d.enabled then 'disabled'
           when a.open_alerts > 0 then 'alert'
           when l.received_at >= now() - interval '15 minutes' then 'reporting'
           else 'silent'
       end                                         as status
from devices d
left join lateral (
    select l.received_at, l.fix_time, l.latitude, l.longitude
    from latest_records l
    where l.device_uid = d.device_uid
    offset 0) l on true
cross join lateral (
    select count(*) as open_alerts
    from device_alerts da
    where da.device_uid = d.device_uid and da.closed_at is null) a
cross join lateral (
    select count(*) as rejected_frames_24h
    from rejected_frames rf
    where rf.device_uid = d.device_uid and rf.received_at >= now() - interval '24 hours') f;
