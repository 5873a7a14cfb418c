-- Usage-based billing: every usage record is stored here first (the API answers once it is), then a
-- sender delivers it to Stripe as a meter event. The caller's idempotency key is unique per account and
-- source ('api': POST /v1/billing/usage; 'overage': a credit consumption's uncovered part, keyed by its
-- ledger key), so a repeat never records twice. The identifier is what Stripe deduplicates meter events
-- by: it is fixed at insert, so every retry of one record carries the same one.
create table usage_record (
    id              bigint generated always as identity primary key,
    account_id      text        not null,
    source          text        not null check (source in ('api', 'overage')),
    idempotency_key text        not null,
    meter           text        not null,
    event_name      text        not null,
    customer_id     text        not null,
    value           bigint      not null check (value > 0),
    occurred_at     timestamptz not null,
    identifier      text        not null unique default ('tgu_' || replace(gen_random_uuid()::text, '-', '')),
    status          text        not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz not null default now(),
    unique (account_id, source, idempotency_key)
);
-- The sender's claim: only pending rows, soonest first.
create index usage_record_due_idx on usage_record (next_attempt_at) where status = 'pending';
-- GET /v1/billing/usage: an account's records of one meter in a period.
create index usage_record_period_idx on usage_record (account_id, meter, occurred_at);
-- The failed-records gauge: few rows, counted without reading the sent ones.
create index usage_record_failed_idx on usage_record (id) where status = 'failed';
