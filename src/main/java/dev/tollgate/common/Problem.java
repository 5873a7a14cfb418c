package dev.tollgate.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. Every 4xx/5xx Tollgate answers has this shape, so clients can
 * branch on the stable {@code type} and show {@code detail} to people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://tollgate.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null);
    }
}
