-- The inbox: every verified Stripe event, once, keyed by its id. It doubles as the audit log.
-- The payload is kept as text, not jsonb: converting to jsonb cost PostgreSQL 60-80 us per event on
-- the acknowledgement path, and the processor parses the JSON itself anyway.
create table stripe_event (
    seq             bigint generated always as identity,
    id              text primary key,
    type            text        not null,
    object_type     text,
    object_id       text,
    created         bigint      not null,
    api_version     text,
    livemode        boolean     not null default false,
    payload         text        not null,
    status          text        not null default 'pending'
        check (status in ('pending', 'applied', 'ignored', 'failed')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    source          text        not null default 'webhook',
    received_at     timestamptz not null default now(),
    processed_at    timestamptz
);

-- Only pending rows are ever claimed, so the claim index stays as small as the backlog.
create index stripe_event_pending_idx on stripe_event (seq) where status = 'pending';
create index stripe_event_failed_idx on stripe_event (received_at) where status = 'failed';
create index stripe_event_object_idx on stripe_event (object_id, created);
create index stripe_event_type_received_idx on stripe_event (type, received_at);

-- Mirrors of Stripe objects. Every mirror row remembers the event version that produced it
-- (event created second, event id, lifecycle rank, progress counter, previous_attributes) so an
-- older event never overwrites a newer state, and keeps the raw JSON of the version it holds.

create table stripe_customer (
    id                 text primary key,
    account_id         text,
    email              text,
    name               text,
    deleted            boolean     not null default false,
    metadata           text,
    version_created    bigint      not null,
    version_event_id   text,
    version_rank       integer     not null default 0,
    version_progress   bigint      not null default 0,
    prev_attrs         text,
    raw                text        not null,
    updated_at         timestamptz not null default now()
);
create index stripe_customer_account_idx on stripe_customer (account_id);

create table stripe_subscription (
    id                   text primary key,
    customer_id          text,
    status               text        not null,
    cancel_at_period_end boolean     not null default false,
    cancel_at            timestamptz,
    canceled_at          timestamptz,
    ended_at             timestamptz,
    trial_start          timestamptz,
    trial_end            timestamptz,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    price_id             text,
    quantity             bigint,
    metadata             text,
    version_created      bigint      not null,
    version_event_id     text,
    version_rank         integer     not null default 0,
    version_progress     bigint      not null default 0,
    prev_attrs           text,
    raw                  text        not null,
    updated_at           timestamptz not null default now()
);
create index stripe_subscription_customer_idx on stripe_subscription (customer_id);

create table stripe_subscription_item (
    id                   text primary key,
    subscription_id      text        not null references stripe_subscription (id) on delete cascade,
    price_id             text,
    product_id           text,
    quantity             bigint,
    current_period_start timestamptz,
    current_period_end   timestamptz
);
create index stripe_subscription_item_sub_idx on stripe_subscription_item (subscription_id);

create table stripe_invoice (
    id                 text primary key,
    customer_id        text,
    subscription_id    text,
    status             text,
    billing_reason     text,
    currency           text,
    amount_due         bigint,
    amount_paid        bigint,
    amount_remaining   bigint,
    total              bigint,
    hosted_invoice_url text,
    invoice_pdf        text,
    number             text,
    period_start       timestamptz,
    period_end         timestamptz,
    attempt_count      integer,
    next_payment_attempt timestamptz,
    created_at         timestamptz,
    version_created    bigint      not null,
    version_event_id   text,
    version_rank       integer     not null default 0,
    version_progress   bigint      not null default 0,
    prev_attrs         text,
    raw                text        not null,
    updated_at         timestamptz not null default now()
);
create index stripe_invoice_customer_idx on stripe_invoice (customer_id, created_at desc);
create index stripe_invoice_subscription_idx on stripe_invoice (subscription_id);

create table stripe_payment_intent (
    id                  text primary key,
    customer_id         text,
    invoice_id          text,
    status              text,
    amount              bigint,
    amount_received     bigint,
    currency            text,
    description         text,
    payment_method_type text,
    latest_charge_id    text,
    failure_code        text,
    failure_message     text,
    metadata            text,
    created_at          timestamptz,
    version_created     bigint      not null,
    version_event_id    text,
    version_rank        integer     not null default 0,
    version_progress    bigint      not null default 0,
    prev_attrs          text,
    raw                 text        not null,
    updated_at          timestamptz not null default now()
);
create index stripe_payment_intent_customer_idx on stripe_payment_intent (customer_id, created_at desc);

create table stripe_charge (
    id                  text primary key,
    customer_id         text,
    payment_intent_id   text,
    status              text,
    amount              bigint,
    amount_refunded     bigint,
    currency            text,
    paid                boolean,
    refunded            boolean,
    payment_method_type text,
    card_brand          text,
    card_last4          text,
    failure_code        text,
    failure_message     text,
    receipt_url         text,
    created_at          timestamptz,
    version_created     bigint      not null,
    version_event_id    text,
    version_rank        integer     not null default 0,
    version_progress    bigint      not null default 0,
    prev_attrs          text,
    raw                 text        not null,
    updated_at          timestamptz not null default now()
);
create index stripe_charge_customer_idx on stripe_charge (customer_id, created_at desc);
create index stripe_charge_payment_intent_idx on stripe_charge (payment_intent_id);

create table stripe_refund (
    id                text primary key,
    charge_id         text,
    payment_intent_id text,
    status            text,
    amount            bigint,
    currency          text,
    reason            text,
    created_at        timestamptz,
    version_created   bigint      not null,
    version_event_id  text,
    version_rank      integer     not null default 0,
    version_progress  bigint      not null default 0,
    prev_attrs        text,
    raw               text        not null,
    updated_at        timestamptz not null default now()
);
create index stripe_refund_payment_intent_idx on stripe_refund (payment_intent_id);

create table stripe_dispute (
    id                text primary key,
    charge_id         text,
    payment_intent_id text,
    status            text,
    reason            text,
    amount            bigint,
    currency          text,
    created_at        timestamptz,
    version_created   bigint      not null,
    version_event_id  text,
    version_rank      integer     not null default 0,
    version_progress  bigint      not null default 0,
    prev_attrs        text,
    raw               text        not null,
    updated_at        timestamptz not null default now()
);

create table stripe_checkout_session (
    id                  text primary key,
    customer_id         text,
    client_reference_id text,
    mode                text,
    status              text,
    payment_status      text,
    subscription_id     text,
    payment_intent_id   text,
    amount_total        bigint,
    currency            text,
    metadata            text,
    created_at          timestamptz,
    version_created     bigint      not null,
    version_event_id    text,
    version_rank        integer     not null default 0,
    version_progress    bigint      not null default 0,
    prev_attrs          text,
    raw                 text        not null,
    updated_at          timestamptz not null default now()
);
create index stripe_checkout_session_client_ref_idx on stripe_checkout_session (client_reference_id);

create table stripe_product (
    id                text primary key,
    name              text,
    active            boolean,
    deleted           boolean     not null default false,
    metadata          text,
    version_created   bigint      not null,
    version_event_id  text,
    version_rank      integer     not null default 0,
    version_progress  bigint      not null default 0,
    prev_attrs        text,
    raw               text        not null,
    updated_at        timestamptz not null default now()
);

create table stripe_price (
    id                text primary key,
    product_id        text,
    active            boolean,
    deleted           boolean     not null default false,
    currency          text,
    unit_amount       bigint,
    recurring_interval text,
    lookup_key        text,
    metadata          text,
    version_created   bigint      not null,
    version_event_id  text,
    version_rank      integer     not null default 0,
    version_progress  bigint      not null default 0,
    prev_attrs        text,
    raw               text        not null,
    updated_at        timestamptz not null default now()
);

-- Objects whose versions could not be ordered (same second, nothing tells them apart). A refresher
-- re-reads them from Stripe when a secret key is configured; operators see the backlog otherwise.
create table object_refresh (
    object_type  text        not null,
    object_id    text        not null,
    requested_at timestamptz not null default now(),
    primary key (object_type, object_id)
);
