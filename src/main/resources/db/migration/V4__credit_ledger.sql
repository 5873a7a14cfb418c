-- Credits: an append-only ledger. Every entry has a unique source key (the checkout session that paid
-- for a pack, the refund that claws it back, the caller's idempotency key of a consumption), so an
-- entry can never be written twice however often its cause is seen.
create table credit_ledger (
    id            bigint generated always as identity primary key,
    account_id    text        not null,
    kind          text        not null check (kind in ('grant', 'consume', 'refund', 'adjustment', 'expiry')),
    amount        bigint      not null check (amount <> 0),
    balance_after bigint      not null,
    source_key    text        not null unique,
    reason        text,
    created_at    timestamptz not null default now()
);
create index credit_ledger_account_idx on credit_ledger (account_id, id desc);

-- The running total of each account's ledger, written in the same transaction as every entry. It is
-- derived (select sum(amount) ... rebuilds it) and exists so that a consumption locks one row and checks
-- one number instead of summing the history; its row lock is what serializes concurrent debits.
create table credit_balance (
    account_id text primary key,
    balance    bigint      not null check (balance >= 0),
    updated_at timestamptz not null default now()
);
