package dev.tollgate.common;

import java.util.Map;

/**
 * Thrown anywhere a request must end in a specific problem answer. {@code headers} carries
 * things like Retry-After.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final transient Map<String, String> headers;
    private final transient Map<String, Object> extensions;

    public ProblemException(int status, String slug, String title, String detail) {
        this(Problem.of(status, slug, title, detail), Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        this(problem, headers, Map.of());
    }

    /** {@code extensions} are extra members of the problem document (RFC 9457), like a balance. */
    public ProblemException(Problem problem, Map<String, String> headers, Map<String, Object> extensions) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
        this.extensions = extensions;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(400, slug, "Bad request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(503, slug, "Service unavailable", detail);
    }
}
