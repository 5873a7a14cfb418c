package dev.tollgate.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fixed-window counters for at most {@code capacity} keys. The least recently used key is dropped when
 * a new one arrives at capacity, so memory stays bounded however many accounts call, and no request ever
 * scans the map (each touches one entry under a short lock). A dropped key starts a fresh window, which can
 * only happen after {@code capacity} other keys were used since: an attacker with that many accounts
 * already has that many limits.
 */
final class RateWindows {

    private static final class Window {
        long start;
        int count;
    }

    private final int capacity;
    private final Map<String, Window> windows;

    RateWindows(int capacity) {
        this.capacity = capacity;
        this.windows = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > RateWindows.this.capacity;
            }
        };
    }

    /**
     * Counts one request for {@code key}.
     *
     * @return 0 when it is within {@code limit} per {@code windowMillis}, else the milliseconds until the
     *         key's window ends
     */
    synchronized long acquire(String key, long nowMillis, long windowMillis, int limit) {
        Window window = windows.computeIfAbsent(key, k -> new Window());
        if (window.count == 0 || nowMillis - window.start >= windowMillis) {
            window.start = nowMillis;
            window.count = 0;
        }
        window.count++;
        return window.count <= limit ? 0 : Math.max(1, window.start + windowMillis - nowMillis);
    }

    synchronized int size() {
        return windows.size();
    }
}
