-- Event payloads and mirrored raw JSON are a few KiB, just over the size at which PostgreSQL starts
-- compressing a row, so every insert paid for pglz: ~40-50 us of database CPU per event on the
-- acknowledgement path. With toast_tuple_target at its maximum, rows up to ~8 KiB are stored inline
-- and uncompressed; only the rare larger ones are compressed or moved out of line.
alter table stripe_event set (toast_tuple_target = 8160);
alter table stripe_customer set (toast_tuple_target = 8160);
alter table stripe_subscription set (toast_tuple_target = 8160);
alter table stripe_invoice set (toast_tuple_target = 8160);
alter table stripe_payment_intent set (toast_tuple_target = 8160);
alter table stripe_charge set (toast_tuple_target = 8160);
alter table stripe_refund set (toast_tuple_target = 8160);
alter table stripe_dispute set (toast_tuple_target = 8160);
alter table stripe_checkout_session set (toast_tuple_target = 8160);
alter table stripe_product set (toast_tuple_target = 8160);
alter table stripe_price set (toast_tuple_target = 8160);
