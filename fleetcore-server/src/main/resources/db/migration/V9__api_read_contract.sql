-- The read contract: schema api holds the views applications and the REST API read (docs/schema.md gives
-- the meaning of every column). The tables behind them may change (records becomes partitioned); these
-- views keep their names, columns and meaning. Role fleetcore_reader may read schema api and nothing else.
-- created here unless an administrator created it beforehand for a role without CREATE on the database
do $$
begin
    if not exists (select 1 from pg_namespace where nspname = 'api') then
        create schema api;
    end if;
end
$$;

-- a JSON number as double precision; anything else (string, object, missing) as null
create function api.num(v jsonb) returns double precision
    language sql immutable parallel safe
    as $$ select case when jsonb_typeof(v) = 'number' then (v #>> '{}')::double precision end $$;

-- Every stored record, its OBD-II values by canonical name and the common Teltonika IO elements by name.
create view api.positions as
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
from records r;

-- The newest position (by fix time) of every device that has one, with the columns of api.positions: one
-- index probe per device on the records key (device_uid, fix_time, ...), so a page of devices (device_id >
-- cursor order by device_id limit n, served by the devices key) costs n probes at any table size.
create view api.latest_positions as
select p.record_id,
       d.device_uid as device_id,
       p.content_hash,
       p.protocol,
       p.fix_time,
       p.received_at,
       p.latitude,
       p.longitude,
       p.altitude,
       p.speed_kmh,
       p.course,
       p.satellites,
       p.priority,
       p.event_code,
       p.obd_rpm,
       p.obd_speed_kmh,
       p.obd_coolant_temp_c,
       p.obd_engine_load_pct,
       p.obd_throttle_pct,
       p.obd_fuel_level_pct,
       p.obd_maf_gps,
       p.obd_intake_air_temp_c,
       p.obd_ambient_air_temp_c,
       p.obd_module_voltage_v,
       p.obd_odometer_km,
       p.obd_dtc_count,
       p.obd_vin,
       p.obd_dtcs,
       p.io_ignition,
       p.io_movement,
       p.io_gsm_signal,
       p.io_external_voltage_v,
       p.io_battery_voltage_v,
       p.io_total_odometer_m,
       p.obd,
       p.io
from devices d
cross join lateral (
    select *
    from api.positions p
    where p.device_id = d.device_uid
    order by p.fix_time desc, p.content_hash desc
    limit 1) p;

-- Devices and how they are doing. status: disabled (by an operator), alert (an open alert), reporting
-- (a position received within the last 15 minutes) or silent.
create view api.device_status as
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
    select r.received_at, r.fix_time, r.latitude, r.longitude
    from records r
    where r.device_uid = d.device_uid
    order by r.fix_time desc, r.content_hash desc
    limit 1) l on true
cross join lateral (
    select count(*) as open_alerts
    from device_alerts da
    where da.device_uid = d.device_uid and da.closed_at is null) a
cross join lateral (
    select count(*) as rejected_frames_24h
    from rejected_frames rf
    where rf.device_uid = d.device_uid and rf.received_at >= now() - interval '24 hours') f;

-- Device alerts (open and closed) with the rule that raised them.
create view api.alerts as
select da.id                                       as alert_id,
       da.device_uid                               as device_id,
       da.rule_code,
       q.description                               as rule_description,
       q.critical,
       da.finding_count,
       da.opened_at,
       da.closed_at,
       da.closed_at is null                        as open
from device_alerts da
join quality_rules q on q.code = da.rule_code;

-- Frames a gateway refused, with their bytes.
create view api.rejected_frames as
select rf.id                                       as frame_id,
       rf.device_uid                               as device_id,
       rf.protocol,
       rf.remote_address,
       rf.reason,
       rf.detail,
       rf.frame_hex,
       rf.received_at
from rejected_frames rf;

-- the gateways look up disabled devices often (every few seconds): keep that a tiny index scan
create index if not exists devices_disabled on devices (device_uid) where not enabled;

-- Roles are shared by every database of the server: create it once, tolerate a concurrent creator.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'fleetcore_reader') then
        create role fleetcore_reader nologin;
    end if;
exception when duplicate_object or unique_violation then
    null;
end $$;

-- fleetcore's own user may act as the reader (the API's read connections do: SET ROLE fleetcore_reader)
do $$
begin
    execute format('grant fleetcore_reader to %I', current_user);
exception when others then
    raise notice 'cannot grant fleetcore_reader to %: %', current_user, sqlerrm;
end $$;

grant usage on schema api to fleetcore_reader;
grant select on all tables in schema api to fleetcore_reader;
grant execute on function api.num(jsonb) to fleetcore_reader;
