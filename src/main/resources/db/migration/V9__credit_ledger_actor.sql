-- Who made a ledger entry by hand: the operator's token subject for admin adjustments, null for entries
-- that follow from Stripe events or the product's own consumption. Together with the reason it is the
-- audit trail of manual grants and debits.
alter table credit_ledger add column actor text;
