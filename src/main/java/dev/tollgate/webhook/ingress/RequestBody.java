package dev.tollgate.webhook.ingress;

import java.util.Arrays;

import io.vertx.core.buffer.Buffer;

/**
 * A delivery's body as it streams in, copied into the array the verifier and the parser read.
 *
 * <p>
 * The array grows with the bytes that actually arrive, never ahead of them from the announced
 * Content-Length: sized to the first chunk (at least {@link #FIRST_CAPACITY}, at most the declared
 * length), then doubled, capped at the declared length. A typical Stripe event (a few KiB, one chunk)
 * therefore gets an array of exactly its length and is copied once, as before; a body announced as
 * 512 KiB that sends one byte holds 4 KiB. Every growth is reserved from the {@link BodyBudget} first,
 * and {@link #release()} gives all of it back exactly once, whichever way the request ends.
 *
 * <p>
 * Used from the request's event loop only, so it needs no synchronisation of its own.
 */
final class RequestBody {

    static final int FIRST_CAPACITY = 4096;
    private static final byte[] EMPTY = new byte[0];

    private final long declared;
    private final int limit;
    private final BodyBudget budget;
    private byte[] bytes = EMPTY;
    private int length;
    private long reserved;
    private boolean released;

    /** @param declared the Content-Length, or -1 without one; @param limit the largest body accepted */
    RequestBody(long declared, int limit, BodyBudget budget) {
        this.declared = declared;
        this.limit = limit;
        this.budget = budget;
    }

    /** What a new body needs from the budget to take its first chunk. */
    static long firstCapacity(long declared) {
        return declared >= 0 ? Math.min(declared, FIRST_CAPACITY) : FIRST_CAPACITY;
    }

    int length() {
        return length;
    }

    /** Bytes this body holds from the budget now (its array's capacity). */
    long reserved() {
        return reserved;
    }

    /** Appends a chunk; false, with nothing appended, when the budget cannot cover the growth it needs. */
    boolean append(Buffer chunk) {
        int size = chunk.length();
        if (length + size > bytes.length && !grow(length + size)) {
            return false;
        }
        chunk.getBytes(0, size, bytes, length);
        length += size;
        return true;
    }

    private boolean grow(int needed) {
        if (released) {
            return false;
        }
        long cap = declared >= 0 ? Math.min(declared, limit) : limit;
        long target = bytes.length == 0 ? Math.max(needed, FIRST_CAPACITY) : Math.max(needed, 2L * bytes.length);
        // A client that sends more than it announced still gets what it sent (the caller bounds it by limit).
        int capacity = (int) Math.max(needed, Math.min(target, cap));
        long growth = capacity - bytes.length;
        if (!budget.tryReserve(growth)) {
            return false;
        }
        reserved += growth;
        bytes = Arrays.copyOf(bytes, capacity);
        return true;
    }

    /**
     * The complete body (the internal array itself when it is exactly full, as it is when the declared
     * length arrived), and the budget released: the body is no longer an unfinished one.
     */
    byte[] finish() {
        byte[] body = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        release();
        return body;
    }

    /** Frees the array and gives its reservation back; later calls do nothing. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        budget.release(reserved);
        reserved = 0;
        bytes = EMPTY;
    }
}
