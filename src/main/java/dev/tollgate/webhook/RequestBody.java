package dev.tollgate.webhook;

import java.util.Arrays;

import io.vertx.core.buffer.Buffer;

/**
 * A delivery's body as it streams in, copied once into the array the verifier and the parser read.
 * With a Content-Length (Stripe always sends one) the array has the right size from the start; a
 * Vert.x buffer and then its bytes would be two copies of every payload on the hottest path.
 */
final class RequestBody {

    private byte[] bytes;
    private int length;

    RequestBody(long declaredLength) {
        this.bytes = new byte[declaredLength > 0 ? (int) declaredLength : 4096];
    }

    int length() {
        return length;
    }

    void append(Buffer chunk) {
        int size = chunk.length();
        if (length + size > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + size, bytes.length * 2));
        }
        chunk.getBytes(0, size, bytes, length);
        length += size;
    }

    /** The body; the internal array itself when it is exactly full, as it is with a Content-Length. */
    byte[] bytes() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
