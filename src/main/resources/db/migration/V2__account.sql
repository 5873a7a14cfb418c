-- The billable party, keyed by the id the JWT carries (a user, or an organisation/tenant).
-- One Stripe customer per account: the unique constraint is what makes concurrent first checkouts
-- end with a single customer.
create table account (
    id                 text primary key,
    stripe_customer_id text unique,
    email              text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
