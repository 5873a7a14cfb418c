-- Payments that need the customer (SCA / 3-D Secure). Since the 2025 API versions neither an invoice nor
-- its payment intent names the other in webhook payloads, so the client secret a frontend confirms with
-- is not in any mirrored object: invoice.payment_action_required records the invoice here, and
-- PaymentActionSecrets reads the invoice's confirmation secret from Stripe once (expand[]=confirmation_secret)
-- and stores it. The action is shown while the mirrored invoice is open.
create table payment_action (
    invoice_id         text primary key,
    customer_id        text,
    account_id         text,
    subscription_id    text,
    amount             bigint,
    currency           text,
    hosted_invoice_url text,
    payment_intent_id  text,
    client_secret      text,
    fetch_attempts     integer     not null default 0,
    next_fetch_at      timestamptz not null default now(),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index payment_action_customer_idx on payment_action (customer_id);
create index payment_action_secret_due_idx on payment_action (next_fetch_at) where client_secret is null;
-- The live stream announces a new action (and its client secret becoming known).
create trigger payment_action_notify after insert or update on payment_action
    for each row execute function tollgate_account_row_changed('payment_action');

-- Saved payment methods, mirrored from payment_method.attached/updated/detached (a detached method has no
-- customer any more, so it drops out of the customer's list by itself).
create table stripe_payment_method (
    id                 text primary key,
    customer_id        text,
    type               text,
    card_brand         text,
    card_last4         text,
    exp_month          integer,
    exp_year           integer,
    created_at         timestamptz,
    version_created    bigint      not null,
    version_event_id   text,
    version_rank       integer     not null default 0,
    version_progress   bigint      not null default 0,
    prev_attrs         text,
    raw                text        not null,
    updated_at         timestamptz not null default now()
);
create index stripe_payment_method_customer_idx on stripe_payment_method (customer_id);

-- Credits frozen while a payment of the account is disputed (tollgate.disputes.freeze-credits): one row per
-- open dispute, removed when the dispute closes. Consuming is refused while any row exists.
create table credit_freeze (
    account_id text        not null,
    dispute_id text        not null,
    created_at timestamptz not null default now(),
    primary key (account_id, dispute_id)
);
create index credit_freeze_dispute_idx on credit_freeze (dispute_id);
