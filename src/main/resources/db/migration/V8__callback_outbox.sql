-- Callbacks to the product: a transactional outbox. Triggers on the tables every writer goes through
-- (subscription and payment intent mirrors, credit ledger and balance, licenses) detect the changes and
-- write the callback in the SAME transaction, so a callback exists if and only if its change committed,
-- whoever made it (webhook processor, checkout confirmation, subscription management, credit consumption).
-- They act on the transition the row itself shows (old -> new), never on the event that caused it: a
-- duplicate or replayed event writes no newer mirror version, so there is no transition and no callback.

-- What the running service configured (written at every start-up): whether callbacks are on at all
-- (some URL is configured) and the "credits low" threshold. One row.
create table callback_settings (
    singleton             boolean primary key default true check (singleton),
    enabled               boolean     not null,
    credits_low_threshold bigint      not null,
    updated_at            timestamptz not null default now()
);

create table callback_outbox (
    seq             bigint generated always as identity,
    -- The id receivers deduplicate on: the same for every attempt and every URL.
    id              text primary key default 'cb_' || replace(gen_random_uuid()::text, '-', ''),
    type            text        not null,
    account_id      text,
    data            jsonb       not null,
    -- One callback per change: "<type>:<object>:<transaction>" for transitions, the ledger's own
    -- source key for credit grants.
    dedup_key       text        not null unique,
    created_at      timestamptz not null default now(),
    status          text        not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
    attempts        integer     not null default 0,
    -- While a worker delivers a row this is its lease: no other worker claims the row before it ends.
    next_attempt_at timestamptz not null default now(),
    -- URLs that answered 2xx: a retry only goes to the others.
    delivered_urls  text[]      not null default '{}',
    last_error      text,
    delivered_at    timestamptz,
    updated_at      timestamptz not null default now()
);
create index callback_outbox_due_idx on callback_outbox (next_attempt_at) where status = 'pending';
create index callback_outbox_status_idx on callback_outbox (status, seq desc);
create index callback_outbox_account_idx on callback_outbox (account_id, seq desc);

-- Writes one callback (once per dedup key) when callbacks are enabled, and wakes the delivery workers
-- of every replica when the transaction commits.
create function tollgate_callback(kind text, account text, dedup text, payload jsonb) returns void
    language plpgsql as $$
begin
    if exists (select 1 from callback_settings where enabled) then
        insert into callback_outbox (type, account_id, dedup_key, data) values (kind, account, dedup, payload)
            on conflict (dedup_key) do nothing;
        perform pg_notify('tollgate_callback', '');
    end if;
end
$$;

create function tollgate_callback_epoch(at timestamptz) returns bigint language sql immutable as $$
    select extract(epoch from at)::bigint
$$;

-- The account of a Stripe customer, as the rest of Tollgate resolves it.
create function tollgate_customer_account(customer text, metadata text) returns text language sql stable as $$
    select coalesce(
        (select c.account_id from stripe_customer c where c.id = customer),
        (select a.id from account a where a.stripe_customer_id = customer),
        case when metadata like '{%' then metadata::json ->> 'account_id' end)
$$;

-- subscription.activated: it became active or trialing (created so, or from incomplete, past_due,
-- unpaid, paused). subscription.past_due / .canceled: it entered that status. subscription.changed: a
-- live subscription got another price (plan or interval) or quantity.
create function tollgate_subscription_callback() returns trigger language plpgsql as $$
declare
    previous   text;
    was_live   boolean := false;
    is_live    boolean := new.status in ('active', 'trialing');
    kind       text;
begin
    if tg_op = 'UPDATE' then
        if old.status = new.status and old.price_id is not distinct from new.price_id
                and old.quantity is not distinct from new.quantity then
            return null;
        end if;
        previous := old.status;
        was_live := old.status in ('active', 'trialing');
    end if;
    kind := case
        when is_live and not was_live then 'subscription.activated'
        when tg_op = 'UPDATE' and new.status = 'past_due' and previous <> 'past_due' then 'subscription.past_due'
        when tg_op = 'UPDATE' and new.status = 'canceled' and previous <> 'canceled' then 'subscription.canceled'
        when is_live and was_live and (old.price_id is distinct from new.price_id
            or old.quantity is distinct from new.quantity) then 'subscription.changed'
    end;
    if kind is null then
        return null;
    end if;
    perform tollgate_callback(kind, tollgate_customer_account(new.customer_id, new.metadata),
        kind || ':' || new.id || ':' || pg_current_xact_id()::text,
        jsonb_build_object(
            'subscription_id', new.id,
            'customer_id', new.customer_id,
            'status', new.status,
            'previous_status', previous,
            'price_id', new.price_id,
            'quantity', new.quantity,
            'previous_price_id', case when tg_op = 'UPDATE' then old.price_id end,
            'previous_quantity', case when tg_op = 'UPDATE' then old.quantity end,
            'current_period_end', tollgate_callback_epoch(new.current_period_end),
            'cancel_at_period_end', new.cancel_at_period_end,
            'trial_end', tollgate_callback_epoch(new.trial_end),
            'canceled_at', tollgate_callback_epoch(new.canceled_at)));
    return null;
end
$$;
create trigger stripe_subscription_callback after insert or update on stripe_subscription
    for each row execute function tollgate_subscription_callback();

-- payment.failed: a payment intent shows a payment error it did not show before (a new failed charge,
-- or an error where there was none).
create function tollgate_payment_failed_callback() returns trigger language plpgsql as $$
begin
    if (new.failure_code is null and new.failure_message is null)
            or new.status in ('succeeded', 'processing') then
        return null;
    end if;
    if tg_op = 'UPDATE' and old.latest_charge_id is not distinct from new.latest_charge_id
            and old.failure_code is not distinct from new.failure_code
            and old.failure_message is not distinct from new.failure_message then
        return null;
    end if;
    perform tollgate_callback('payment.failed', tollgate_customer_account(new.customer_id, new.metadata),
        'payment.failed:' || new.id || ':' || pg_current_xact_id()::text,
        jsonb_build_object(
            'payment_intent_id', new.id,
            'customer_id', new.customer_id,
            'invoice_id', new.invoice_id,
            'charge_id', new.latest_charge_id,
            'amount', new.amount,
            'currency', new.currency,
            'status', new.status,
            'failure_code', new.failure_code,
            'failure_message', new.failure_message));
    return null;
end
$$;
create trigger stripe_payment_intent_callback after insert or update on stripe_payment_intent
    for each row execute function tollgate_payment_failed_callback();

-- credits.granted: a grant (pack, plan period) or a positive adjustment entered the ledger. Deferred to
-- the end of the transaction, because the ledger writes the entry's balance_after just after inserting it.
create function tollgate_credits_granted_callback() returns trigger language plpgsql as $$
declare
    entry credit_ledger%rowtype;
begin
    select * into entry from credit_ledger where id = new.id;
    perform tollgate_callback('credits.granted', entry.account_id, 'credits.granted:' || entry.source_key,
        jsonb_build_object(
            'entry_id', entry.id,
            'kind', entry.kind,
            'amount', entry.amount,
            'balance', entry.balance_after,
            'source', entry.source_key,
            'reason', entry.reason));
    return null;
end
$$;
create constraint trigger credit_ledger_callback after insert on credit_ledger
    deferrable initially deferred for each row
    when (new.kind in ('grant', 'adjustment') and new.amount > 0)
    execute function tollgate_credits_granted_callback();

-- credits.low: the balance went down and crossed below the configured threshold.
create function tollgate_credits_low_callback() returns trigger language plpgsql as $$
declare
    threshold bigint := (select credits_low_threshold from callback_settings where enabled);
begin
    if threshold is null or not (old.balance >= threshold and new.balance < threshold) then
        return null;
    end if;
    perform tollgate_callback('credits.low', new.account_id,
        'credits.low:' || new.account_id || ':' || pg_current_xact_id()::text,
        jsonb_build_object('balance', new.balance, 'previous_balance', old.balance, 'threshold', threshold));
    return null;
end
$$;
create trigger credit_balance_callback after update on credit_balance
    for each row when (new.balance < old.balance) execute function tollgate_credits_low_callback();

-- license.issued: a license was created, or a revoked one became active again (a resumed subscription).
-- license.revoked: it was revoked. The key itself is a credential and is not sent.
create function tollgate_license_callback() returns trigger language plpgsql as $$
declare
    kind text;
begin
    kind := case
        when tg_op = 'INSERT' then 'license.issued'
        when new.status = 'active' and old.status = 'revoked' then 'license.issued'
        when new.status = 'revoked' and old.status <> 'revoked' then 'license.revoked'
    end;
    if kind is null then
        return null;
    end if;
    perform tollgate_callback(kind, new.account_id,
        kind || ':' || new.subscription_id || ':' || pg_current_xact_id()::text,
        jsonb_build_object(
            'subscription_id', new.subscription_id,
            'plan', new.plan,
            'status', new.status,
            'expires_at', tollgate_callback_epoch(new.expires_at)));
    return null;
end
$$;
create trigger license_callback after insert or update on license
    for each row execute function tollgate_license_callback();
