package dev.tollgate.common;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.MDC;

/**
 * The keys Tollgate puts in the logging MDC, so that every line about one event, account or request
 * can be found in the JSON logs ("mdc": {"event_id": ...}). Inside an HTTP request the MDC lives on
 * the request's Vert.x context and ends with it; elsewhere (the processor, worker threads) values are
 * set around the lines that need them and removed again, so they never leak onto unrelated lines.
 */
public final class LogContext {

    public static final String REQUEST_ID = "request_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";

    private LogContext() {
    }

    /** Sets a key for the rest of the current request (or thread, outside a request). */
    public static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /** The value of a key for the current request (or thread), or null. */
    public static String get(String key) {
        Object value = MDC.get(key);
        return value == null ? null : value.toString();
    }

    /** Runs {@code log} with one event's id and type in the MDC, then restores what was there. */
    public static void forEvent(String eventId, String type, Runnable log) {
        Map<String, Object> saved = snapshot();
        try {
            put(EVENT_ID, eventId);
            put(EVENT_TYPE, type);
            log.run();
        } finally {
            restore(saved);
        }
    }

    /** The current values, to carry onto another thread with {@link #carry}. */
    public static Map<String, Object> snapshot() {
        Map<String, Object> current = MDC.getMap();
        return current == null ? Map.of() : new HashMap<>(current);
    }

    /** Runs {@code work} with {@code values} as the MDC (on a worker thread), then restores the thread's own. */
    public static <T> T carry(Map<String, Object> values, Supplier<T> work) {
        Map<String, Object> saved = snapshot();
        try {
            values.forEach(MDC::put);
            return work.get();
        } finally {
            restore(saved);
        }
    }

    private static void restore(Map<String, Object> saved) {
        MDC.clear();
        saved.forEach(MDC::put);
    }
}
