-- Event codes are per protocol: a Teltonika event IO id (0 = periodic record, no event) is not a json event
-- code. unknown_event_code checks a record only against the codes of its own protocol, and not at all for a
-- protocol this table lists nothing for; normal traffic of a healthy fleet gives no findings.
alter table event_codes add column protocol text not null default 'json';
alter table event_codes drop constraint event_codes_pkey;
alter table event_codes add primary key (protocol, code);
alter table event_codes alter column protocol drop default;

-- Teltonika: the IO element that triggered the record. Add the event IO ids your devices are configured for.
insert into event_codes (protocol, code, description) values
    ('teltonika', '0', 'Periodic record (no event)'),
    ('teltonika', '1', 'Digital input 1'),
    ('teltonika', '2', 'Digital input 2'),
    ('teltonika', '3', 'Digital input 3'),
    ('teltonika', '9', 'Analog input 1'),
    ('teltonika', '155', 'Geofence zone 1'),
    ('teltonika', '156', 'Geofence zone 2'),
    ('teltonika', '157', 'Geofence zone 3'),
    ('teltonika', '158', 'Geofence zone 4'),
    ('teltonika', '159', 'Geofence zone 5'),
    ('teltonika', '175', 'Auto geofence'),
    ('teltonika', '236', 'Alarm'),
    ('teltonika', '239', 'Ignition'),
    ('teltonika', '240', 'Movement'),
    ('teltonika', '246', 'Towing'),
    ('teltonika', '247', 'Crash detection'),
    ('teltonika', '248', 'Immobilizer'),
    ('teltonika', '249', 'Jamming'),
    ('teltonika', '250', 'Trip'),
    ('teltonika', '251', 'Idling'),
    ('teltonika', '252', 'Unplug'),
    ('teltonika', '253', 'Green driving type'),
    ('teltonika', '255', 'Over speeding'),
    ('teltonika', '318', 'GNSS jamming');

update quality_rules
   set description = 'event_code not in table event_codes for the record''s protocol (protocols it lists nothing for are not checked)'
 where code = 'unknown_event_code';
