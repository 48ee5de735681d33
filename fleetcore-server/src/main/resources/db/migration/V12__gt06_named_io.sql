-- GT06 in io_named (docs/protocols/gt06.md, docs/schema.md "Named IO"). The GT06 decoder writes the canonical
-- names of what it decodes into io itself (ignition, charging, gsm_signal, external_voltage_v, mcc, mnc, lac,
-- cell_id, gnss_fixed), beside the protocol's own keys (terminal_info, alarm_code, voltage_level, ...).
-- io_named carries the canonical ones as they are (scale AS_SENT: the stored JSON value, whatever its type;
-- io_id is the key itself); the protocol's own keys stay in io only. Gt06Io.NAMED is the same list (a test
-- keeps them equal).

-- api.io_names gains the GT06 rows; its Teltonika rows stay as V11 wrote them (read back, not repeated here)
do $extend$
declare
    rows text;
begin
    select string_agg(format('(%L, %L, %L, %L, %L, %L::boolean)', protocol, io_id, key, scale, unit, event), ', ')
      into rows from api.io_names;
    execute 'create or replace view api.io_names (protocol, io_id, key, scale, unit, event) as values ' || rows || $gt06$,
        ('gt06', 'ignition', 'ignition', 'AS_SENT', '', false),
        ('gt06', 'charging', 'charging', 'AS_SENT', '', false),
        ('gt06', 'gsm_signal', 'gsm_signal', 'AS_SENT', '', false),
        ('gt06', 'external_voltage_v', 'external_voltage_v', 'AS_SENT', 'V', false),
        ('gt06', 'mcc', 'mcc', 'AS_SENT', '', false),
        ('gt06', 'mnc', 'mnc', 'AS_SENT', '', false),
        ('gt06', 'lac', 'lac', 'AS_SENT', '', false),
        ('gt06', 'cell_id', 'cell_id', 'AS_SENT', '', false),
        ('gt06', 'gnss_fixed', 'gnss_fixed', 'AS_SENT', '', false)$gt06$;
end
$extend$;

-- api.io_named recompiled from the table as V11 does, with AS_SENT: the value as stored, any JSON type (the
-- other scales still take only whole numbers)
do $compile$
begin
    execute format($fn$
create or replace function api.io_named(protocol text, io jsonb) returns jsonb
    language sql immutable parallel safe
    as $body$
    select coalesce(jsonb_object_agg(m.name ->> 0, case m.name ->> 1
            when 'AS_SENT' then e.value
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
    where m.name is not null and (m.name ->> 1 = 'AS_SENT' or x.n = trunc(x.n))
    $body$
$fn$, (select jsonb_object_agg(protocol, ids)
       from (select protocol, jsonb_object_agg(io_id, jsonb_build_array(key, scale)) as ids
             from api.io_names group by protocol) t));
end
$compile$;
