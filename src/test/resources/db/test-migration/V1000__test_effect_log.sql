-- Test only: one row per application of an event by the processor (see testing/EffectProbe). No unique
-- key on purpose: an event applied twice shows up as two rows.
create table test_effect_log (
    event_id   text        not null,
    type       text        not null,
    applied_at timestamptz not null default now()
);
