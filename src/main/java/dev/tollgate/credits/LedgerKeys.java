package dev.tollgate.credits;

/**
 * Ledger source keys built from an account and a caller's idempotency key ({@code consume:acct-42:k1}).
 * Joining them with ':' alone is ambiguous (account "a" with key "b:x" and account "a:b" with key "x"
 * meet), so ':' and '%' in the account id are percent-encoded: the first ':' after the kind then always
 * ends the account. Account ids without either character (all of them, so far) keep the keys they
 * always had, so existing rows still deduplicate repeated requests.
 */
public final class LedgerKeys {

    private LedgerKeys() {
    }

    public static String of(String kind, String accountId, String key) {
        return kind + ":" + accountId.replace("%", "%25").replace(":", "%3A") + ":" + key;
    }
}
