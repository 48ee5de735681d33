-- Feeds: durable, replayable deliveries of stored rows to applications (io.fleetcore.feed).
-- A feed reads its source table in id order; records.id (a sequence, not a physical row address) is the
-- cursor, so it stays valid when records is partitioned.

-- Alerts and service status changes, in the order they happened: the source of the events feed.
create table events (
    id         bigserial primary key,
    kind       text not null,
    state      text not null,
    subject    text not null,
    payload    jsonb not null,
    created_at timestamptz not null default now()
);

-- One row per feed. Every row of the source with id <= position has been confirmed by the feed's
-- destination; horizon_id / horizon_xmax are the snapshot horizon that keeps late commits from being skipped.
create table feed_cursors (
    feed            text primary key,
    source          text not null check (source in ('records', 'events')),
    position        bigint not null default 0,
    horizon_id      bigint not null default 0,
    horizon_xmax    xid8 not null default '0'::xid8,
    delivered       bigint not null default 0,
    delivered_at    timestamptz,
    last_error      text,
    last_error_at   timestamptz,
    reset_at        timestamptz,
    created_at      timestamptz not null default now()
);

