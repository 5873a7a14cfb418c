-- A license per subscription, issued when it first becomes active; its status follows the subscription.
-- The key is random (192 bits) and is the credential other backends validate.
create table license (
    key             text primary key,
    account_id      text        not null,
    subscription_id text        not null unique,
    plan            text        not null,
    status          text        not null check (status in ('active', 'past_due', 'revoked')),
    expires_at      timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index license_account_idx on license (account_id);
