-- Reconciliation: the Events API catch-up cursor, backfill progress, and drift check results.

-- One row per cursor (today only 'events'). cursor_at: every event created before it (minus the
-- configured overlap) has been listed and stored in the inbox.
create table reconciliation_cursor (
    name                 text primary key,
    cursor_at            bigint      not null,
    newest_event_id      text,
    newest_event_created bigint,
    updated_at           timestamptz not null default now()
);

-- Backfill progress per Stripe resource, so that a rerun after a crash or an error continues at the
-- page after the last one applied (starting_after), and a finished resource is not listed again.
create table backfill_progress (
    resource       text primary key,
    starting_after text,
    imported       bigint      not null default 0,
    done           boolean     not null default false,
    last_error     text,
    started_at     timestamptz,
    finished_at    timestamptz,
    updated_at     timestamptz not null default now()
);

-- One row per drift check; the newest feeds the tollgate_drift_subscriptions_differing gauge.
create table drift_check (
    id          bigint generated always as identity primary key,
    started_at  timestamptz not null,
    finished_at timestamptz not null default now(),
    sample      integer,
    checked     integer     not null,
    differing   integer     not null,
    repaired    integer     not null,
    missing     integer     not null,
    failed      integer     not null
);
