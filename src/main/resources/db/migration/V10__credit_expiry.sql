-- Credits that expire: one row per expiring grant, holding what is left of it. Consumption takes the
-- soonest-expiring credits first, so after every debit the rows are trimmed (soonest first) until
-- their sum is at most the balance; at expiry what is left becomes an 'expiry' ledger entry. Grants
-- without an expiry need no row: they are simply the part of the balance not covered here.
create table credit_expiring (
    entry_id   bigint      primary key references credit_ledger (id),
    account_id text        not null,
    expires_at timestamptz not null,
    remaining  bigint      not null check (remaining >= 0)
);
create index credit_expiring_account_idx on credit_expiring (account_id, expires_at) where remaining > 0;
create index credit_expiring_due_idx on credit_expiring (expires_at) where remaining > 0;
