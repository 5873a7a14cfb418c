package dev.tollgate.credits;

import java.time.OffsetDateTime;

/** One credit ledger entry; {@code amount} is signed (grants positive, debits negative). */
public record LedgerEntry(long id, String kind, long amount, long balanceAfter, String reason,
        OffsetDateTime createdAt) {
}
