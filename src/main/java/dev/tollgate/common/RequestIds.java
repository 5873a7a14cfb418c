package dev.tollgate.common;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a sane token (so a
 * gateway's id follows the request through Tollgate's logs), otherwise a new one. The id is echoed in
 * the response and set in the MDC for every log line of the request. Runs for all routes, the
 * webhook's plain Vert.x route included.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";

    // Anything else (overlong, spaces, control characters) could forge or break log lines: replaced.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String id = accepted(context.request().getHeader(HEADER));
            LogContext.put(LogContext.REQUEST_ID, id);
            context.response().putHeader(HEADER, id);
            context.next();
        }, 1000);
    }

    // Not UUID.randomUUID(): its shared SecureRandom would sit on the webhook's hot path, and a log
    // correlation id needs to be unique, not unpredictable.
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    static String accepted(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : newId();
    }
}
