-- Named IO and device events (docs/schema.md, docs/protocols/teltonika.md "Named IO").

-- Events a device reported (crash, towing, jamming, harsh driving, ...): one row per event a record raised,
-- written in the record's transaction. The natural key makes a redelivered record add nothing.
create table device_events (
    id           bigserial primary key,
    device_uid   text not null,
    fix_time     timestamptz not null,
    content_hash text not null,
    kind         text not null,
    value        bigint not null,
    protocol     text not null,
    latitude     double precision,
    longitude    double precision,
    created_at   timestamptz not null default now(),
    constraint device_events_natural_key unique (device_uid, fix_time, content_hash, kind)
);
-- retention deletes by age
create index device_events_created_at on device_events (created_at);

-- The IO ids a protocol names: the same table as the protocol's own (Teltonika: TeltonikaIo.TABLE; a test
-- keeps them equal). scale: FLAG 0/1 -> false/true, COUNT as sent, MILLI x 0.001, DECI x 0.1, SIGNED_16 two's
-- complement of 16 bits, SIGNED_32_DECI two's complement of 32 bits x 0.1, HEX_8 16 upper-case hex digits.
create view api.io_names (protocol, io_id, key, scale, unit, event) as
values
    ('teltonika', '1', 'digital_input_1', 'FLAG', '', false),
    ('teltonika', '2', 'digital_input_2', 'FLAG', '', false),
    ('teltonika', '3', 'digital_input_3', 'FLAG', '', false),
    ('teltonika', '6', 'analog_input_2_v', 'MILLI', 'V', false),
    ('teltonika', '9', 'analog_input_1_v', 'MILLI', 'V', false),
    ('teltonika', '16', 'total_odometer_m', 'COUNT', 'm', false),
    ('teltonika', '17', 'axis_x_mg', 'SIGNED_16', 'mG', false),
    ('teltonika', '18', 'axis_y_mg', 'SIGNED_16', 'mG', false),
    ('teltonika', '19', 'axis_z_mg', 'SIGNED_16', 'mG', false),
    ('teltonika', '21', 'gsm_signal', 'COUNT', '', false),
    ('teltonika', '24', 'gnss_speed_kmh', 'COUNT', 'km/h', false),
    ('teltonika', '66', 'external_voltage_v', 'MILLI', 'V', false),
    ('teltonika', '67', 'battery_voltage_v', 'MILLI', 'V', false),
    ('teltonika', '68', 'battery_current_a', 'MILLI', 'A', false),
    ('teltonika', '69', 'gnss_status', 'COUNT', '', false),
    ('teltonika', '72', 'dallas_temp_1_c', 'SIGNED_32_DECI', '°C', false),
    ('teltonika', '73', 'dallas_temp_2_c', 'SIGNED_32_DECI', '°C', false),
    ('teltonika', '74', 'dallas_temp_3_c', 'SIGNED_32_DECI', '°C', false),
    ('teltonika', '75', 'dallas_temp_4_c', 'SIGNED_32_DECI', '°C', false),
    ('teltonika', '78', 'ibutton', 'HEX_8', '', false),
    ('teltonika', '80', 'data_mode', 'COUNT', '', false),
    ('teltonika', '113', 'battery_level_pct', 'COUNT', '%', false),
    ('teltonika', '179', 'digital_output_1', 'FLAG', '', false),
    ('teltonika', '180', 'digital_output_2', 'FLAG', '', false),
    ('teltonika', '181', 'pdop', 'DECI', '', false),
    ('teltonika', '182', 'hdop', 'DECI', '', false),
    ('teltonika', '199', 'trip_odometer_m', 'COUNT', 'm', false),
    ('teltonika', '200', 'sleep_mode', 'COUNT', '', false),
    ('teltonika', '205', 'cell_id', 'COUNT', '', false),
    ('teltonika', '206', 'lac', 'COUNT', '', false),
    ('teltonika', '239', 'ignition', 'FLAG', '', false),
    ('teltonika', '240', 'movement', 'FLAG', '', false),
    ('teltonika', '241', 'gsm_operator', 'COUNT', '', false),
    ('teltonika', '246', 'tow', 'COUNT', '', true),
    ('teltonika', '247', 'crash', 'COUNT', '', true),
    ('teltonika', '249', 'jamming', 'COUNT', '', true),
    ('teltonika', '250', 'trip', 'COUNT', '', false),
    ('teltonika', '251', 'idling', 'FLAG', '', true),
    ('teltonika', '252', 'unplug', 'COUNT', '', true),
    ('teltonika', '253', 'green_driving_type', 'COUNT', '', true),
    ('teltonika', '254', 'green_driving_value', 'COUNT', '', false),
    ('teltonika', '255', 'overspeed', 'COUNT', 'km/h', true),
    ('teltonika', '318', 'gnss_jamming', 'COUNT', '', true);

-- A record's raw io named by the table above: {"ignition": true, "external_voltage_v": 24.079, ...}; ids without
-- a name and values that are no whole number (a variable-length hex string) are left out; {} when nothing is
-- named. The table is compiled into the function as a jsonb constant {protocol: {io_id: [key, scale]}} and the
-- scaling is written inline: a join with api.io_names per row cost ~10x more (measured: 1.1-1.5 ms against
-- 0.16 ms per row on a loaded 2-core machine). A later change of api.io_names recreates this function the same way.
do $compile$
begin
    execute format($fn$
create function api.io_named(protocol text, io jsonb) returns jsonb
    language sql immutable parallel safe
    as $body$
    select coalesce(jsonb_object_agg(m.name ->> 0, case m.name ->> 1
            when 'FLAG' then to_jsonb(x.n <> 0)
            when 'COUNT' then to_jsonb(x.n)
            when 'MILLI' then to_jsonb(x.n * 0.001)
            when 'DECI' then to_jsonb(x.n * 0.1)
            when 'SIGNED_16' then to_jsonb((mod(x.n, 65536)::int # 32768) - 32768)
            when 'SIGNED_32_DECI' then to_jsonb(((mod(x.n, 4294967296)::bigint # 2147483648) - 2147483648) * 0.1)
            when 'HEX_8' then to_jsonb(lpad(upper(to_hex(mod(div(x.n, 4294967296), 4294967296)::bigint)), 8, '0')
                                       || lpad(upper(to_hex(mod(x.n, 4294967296)::bigint)), 8, '0'))
        end), '{}'::jsonb)
    from jsonb_each(io) e
    cross join lateral (select %L::jsonb -> io_named.protocol -> e.key as name) m
    cross join lateral (select case when jsonb_typeof(e.value) = 'number' then (e.value #>> '{}')::numeric end as n) x
    where m.name is not null and x.n = trunc(x.n)
    $body$
$fn$, (select jsonb_object_agg(protocol, ids)
       from (select protocol, jsonb_object_agg(io_id, jsonb_build_array(key, scale)) as ids
             from api.io_names group by protocol) t));
end
$compile$;

-- api.positions and api.latest_positions gain io_named (every named IO value); their columns stay as they were.
create or replace view api.positions as
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
       r.io,
       api.io_named(r.protocol, r.io)              as io_named
from records r;

-- as V10 defines it (a page of latest_records), plus io_named
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
       r.io,
       api.io_named(r.protocol, r.io)              as io_named
from latest_records r
cross join lateral (select d.device_uid from devices d where d.device_uid = r.device_uid offset 0) d;

-- Device events, newest last by event_id.
create view api.device_events as
select de.id                                       as event_id,
       de.device_uid                               as device_id,
       de.kind,
       de.value,
       de.protocol,
       de.fix_time,
       de.content_hash,
       de.latitude,
       de.longitude,
       de.created_at
from device_events de;

grant select on api.io_names, api.device_events to fleetcore_reader;
grant execute on function api.io_named(text, jsonb) to fleetcore_reader;
