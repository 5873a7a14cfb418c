package dev.tollgate.common;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.Management;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hostile input against every JSON endpoint the OpenAPI document lists (so new endpoints are covered
 * without touching this test): wrong types, missing and extra fields, huge and negative numbers, very long
 * strings, NUL and lone surrogates, invalid UTF-8, wrong Content-Type, empty and non-object bodies, deep
 * nesting, duplicate keys, odd path and query parameters. Every malformed request must be answered 4xx with
 * a problem document whose detail names no Java type or internal class, and must leave the database as it
 * was. Requests that might be valid (an empty object, an extra field) must at least not fail with 500.
 */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Neither is a JSON API: the webhook takes Stripe's signed bytes, the stream is text/event-stream. */
    private static final Set<String> NOT_JSON = Set.of("/v1/webhooks/stripe", "/v1/billing/stream");
    private static final List<String> LEAKS = List.of("java.", "dev.tollgate", "com.fasterxml", "Exception",
            "io.vertx", "io.quarkus", "org.jboss");
    private static final String LONG = "x".repeat(100_000);
    /** Bodies that pass validation, so that one changed field is what a request is judged by. */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "POST /v1/billing/checkout-sessions", "{\"plan\":\"pro\",\"interval\":\"month\"}",
            "POST /v1/billing/payment-intents", "{\"amount\":500,\"currency\":\"usd\"}",
            "POST /v1/billing/credits/consume", "{\"amount\":1,\"idempotency_key\":\"fuzz-1\"}",
            "POST /v1/billing/subscription/change", "{\"plan\":\"team\",\"interval\":\"month\"}",
            "POST /v1/billing/subscription/seats", "{\"seats\":2}",
            "POST /v1/billing/subscription/discount", "{\"promotion_code\":\"SUMMER20\"}",
            "POST /v1/licenses/validate", "{\"key\":\"lic_unknown\"}",
            "POST /v1/admin/accounts/{accountId}/credits",
            "{\"amount\":5,\"reason\":\"fuzz\",\"idempotency_key\":\"fuzz-1\"}",
            "POST /v1/admin/webhook-endpoint", "{\"url\":\"https://billing.example.com/v1/webhooks/stripe\"}");

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String account = StripeEvents.newId("fuzz");

    /** The OpenAPI document, from the management port (the public port does not serve it). */
    JsonNode openApi() throws IOException, InterruptedException {
        URI document = URI.create("http://localhost:" + Management.port() + "/q/openapi?format=json");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(document).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), "the OpenAPI document is served");
        Files.writeString(Path.of("target", "openapi-fuzzed.json"), answer.body());
        return MAPPER.readTree(answer.body());
    }

    record Endpoint(String method, String template, JsonNode operation, JsonNode schema) {
        String key() {
            return method + " " + template;
        }
    }

    record Case(String name, String path, String contentType, byte[] body, boolean mayBeValid) {
    }

    @Test
    void hostileInputIsAnswered4xxWithAProblemAndChangesNothing() throws Exception {
        JsonNode document = openApi();
        List<Endpoint> endpoints = endpoints(document);
        assertTrue(endpoints.size() >= 20, "the document lists the API: " + endpoints.size() + " endpoints");
        awaitQuiet();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        long started = System.nanoTime();
        for (Endpoint endpoint : endpoints) {
            List<Case> cases = cases(endpoint);
            String before = digest();
            for (Case c : cases.stream().filter(c -> !c.mayBeValid()).toList()) {
                requests++;
                check(endpoint, c, send(endpoint, c), failures);
            }
            String after = digest();
            if (!before.equals(after)) {
                failures.add(endpoint.key() + ": rejected requests changed the database\n  before " + before
                        + "\n  after  " + after);
            }
            for (Case c : cases.stream().filter(Case::mayBeValid).toList()) {
                requests++;
                check(endpoint, c, send(endpoint, c), failures);
            }
        }
        System.out.printf("HostileInputTest: %d endpoints, %d requests in %d ms%n", endpoints.size(), requests,
                (System.nanoTime() - started) / 1_000_000);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
    }

    @Test
    void errorsNameTheFieldOrParameterAndWhatItMustBe() throws Exception {
        String consume = "/v1/billing/credits/consume";
        assertDetail("POST", consume, "{\"amount\":\"7\",\"idempotency_key\":\"k\"}", 400,
                "\"amount\" must be a whole number");
        assertDetail("POST", consume, "{\"amount\":1.5,\"idempotency_key\":\"k\"}", 400,
                "\"amount\" must be a whole number");
        assertDetail("POST", consume, "{\"amount\":1,\"idempotency_key\":7}", 400,
                "\"idempotency_key\" must be a string.");
        assertDetail("POST", consume, "{\"amount\":123456789012345678901234567890,\"idempotency_key\":\"k\"}", 400,
                "number out of range in \"amount\"");
        assertDetail("POST", consume, "{\"amount\":1,\"amount\":2,\"idempotency_key\":\"k\"}", 400,
                "Duplicate field 'amount'");
        assertDetail("POST", consume, "{\"amount\":1,\"idempotency_key\":\"a\\u0000b\"}", 400,
                "\"idempotency_key\" contains a NUL character");
        assertDetail("POST", consume, "{\"amount\":1,\"idempotency_key\":\"a\\ud800b\"}", 400,
                "\"idempotency_key\" contains a NUL character or an unpaired surrogate.");
        assertDetail("POST", consume, "[1]", 400, "The request body must be a JSON object.");
        assertDetail("POST", "/v1/billing/checkout-sessions", "{\"plan\":{}}", 400, "\"plan\" must be a string.");
        assertDetail("POST", "/v1/billing/checkout-sessions", "{\"trial\":\"yes\"}", 400,
                "\"trial\" must be true or false.");
        assertDetail("GET", "/v1/billing/credits?limit=abc", null, 400,
                "The parameter limit must be a whole number in range; \"abc\" is not.");
        assertDetail("POST", "/v1/admin/catalog/sync?dry_run=maybe", null, 400,
                "The parameter dry_run must be true or false; \"maybe\" is not.");
        assertDetail("GET", "/v1/admin/events?type=a%00b", null, 400,
                "The query parameter type contains a NUL character");
    }

    private void assertDetail(String method, String path, String body, int status, String expected)
            throws IOException, InterruptedException {
        Endpoint endpoint = new Endpoint(method, path, NODES.objectNode(), NODES.missingNode());
        HttpResponse<String> answer = send(endpoint, new Case("", path, body == null ? null : "application/json",
                body == null ? null : bytes(body), false));
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        String detail = MAPPER.readTree(answer.body()).path("detail").asText();
        assertTrue(detail.contains(expected), "detail \"" + detail + "\" says " + expected);
    }

    private void check(Endpoint endpoint, Case c, HttpResponse<String> answer, List<String> failures) {
        int status = answer.statusCode();
        String type = answer.headers().firstValue("Content-Type").orElse("");
        String where = endpoint.key() + " [" + c.name() + "] -> " + status + " " + type + " "
                + abbreviate(answer.body());
        if (c.mayBeValid()) {
            if (status == 500 || (status >= 400 && !type.startsWith("application/problem+json"))) {
                failures.add(where);
            }
            return;
        }
        if (status < 400 || status >= 500) {
            failures.add(where);
            return;
        }
        if (!type.startsWith("application/problem+json")) {
            failures.add(where + " (not a problem document)");
            return;
        }
        JsonNode problem;
        try {
            problem = MAPPER.readTree(answer.body());
        } catch (IOException e) {
            failures.add(where + " (unreadable problem)");
            return;
        }
        String detail = problem.path("detail").asText("");
        if (detail.isBlank() || problem.path("status").asInt() != status || !problem.path("type").isTextual()) {
            failures.add(where + " (incomplete problem)");
        }
        for (String leak : LEAKS) {
            if (detail.contains(leak)) {
                failures.add(where + " (detail names internals: " + leak + ")");
            }
        }
    }

    private HttpResponse<String> send(Endpoint endpoint, Case c) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(c.path())).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + tokenFor(endpoint.template()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        request.method(endpoint.method(), body);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The role each part of the API is for: admins under /v1/admin, backends for license checks, users else. */
    private String tokenFor(String template) {
        if (template.startsWith("/v1/admin")) {
            return TestTokens.admin();
        }
        if (template.startsWith("/v1/licenses")) {
            return TestTokens.service();
        }
        return TestTokens.user(account);
    }

    private static List<Endpoint> endpoints(JsonNode document) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").properties().iterator(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/v1/") || NOT_JSON.contains(path.getKey())) {
                continue;
            }
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode operation = path.getValue().path(method);
                if (operation.isMissingNode()) {
                    continue;
                }
                JsonNode schema = resolve(document,
                        operation.path("requestBody").path("content").path("application/json").path("schema"));
                endpoints.add(new Endpoint(method.toUpperCase(Locale.ROOT), path.getKey(), operation, schema));
            }
        }
        return endpoints;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        if (ref == null) {
            return schema;
        }
        JsonNode target = document;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }

    private List<Case> cases(Endpoint endpoint) {
        List<Case> cases = new ArrayList<>();
        String path = fill(endpoint.template(), "fz-missing");
        cases.addAll(parameterCases(endpoint, path));
        if (!endpoint.schema().isMissingNode()) {
            cases.addAll(bodyCases(endpoint, path));
        }
        return cases;
    }

    /** Odd path values, and for every query parameter odd values of its type. */
    private List<Case> parameterCases(Endpoint endpoint, String path) {
        List<Case> cases = new ArrayList<>();
        String body = endpoint.schema().isMissingNode() ? null : VALID_BODIES.getOrDefault(endpoint.key(), "{}");
        String contentType = body == null ? null : "application/json";
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (endpoint.template().contains("{")) {
            for (String odd : List.of("%00", "%C3%28", "%ED%A0%80", "a".repeat(3000), "%2E%2E%2F%2E%2E",
                    "%F0%9F%92%A5", "%20")) {
                cases.add(new Case("path " + abbreviate(odd), fill(endpoint.template(), odd), contentType, bytes,
                        false));
            }
        }
        for (JsonNode parameter : endpoint.operation().path("parameters")) {
            if (!"query".equals(parameter.path("in").asText())) {
                continue;
            }
            String name = parameter.path("name").asText();
            String type = parameter.path("schema").path("type").asText("string");
            List<String> values = switch (type) {
                case "integer" -> List.of("abc", "-1", "99999999999999999999", "1e3", "1.5", "%00", "");
                case "boolean" -> List.of("maybe", "%00");
                default -> List.of("%00", "%C3%28", "%ED%A0%80", "y".repeat(2000));
            };
            for (String value : values) {
                // A long or undecodable filter value is a question with no answer, not a malformed request.
                boolean mayBeValid = value.isEmpty() || type.equals("string") && !value.equals("%00");
                cases.add(new Case("query " + name + "=" + abbreviate(value), path + "?" + name + "=" + value,
                        contentType, bytes, mayBeValid));
            }
        }
        return cases;
    }

    private List<Case> bodyCases(Endpoint endpoint, String path) {
        List<Case> cases = new ArrayList<>();
        String json = "application/json";
        ObjectNode valid = validBody(endpoint);
        cases.add(new Case("empty body", path, json, new byte[0], false));
        cases.add(new Case("no body, no content type", path, null, null, false));
        cases.add(new Case("null", path, json, bytes("null"), false));
        cases.add(new Case("array", path, json, bytes("[]"), false));
        cases.add(new Case("string", path, json, bytes("\"text\""), false));
        cases.add(new Case("number", path, json, bytes("42"), false));
        cases.add(new Case("truncated", path, json, bytes("{\"a\":"), false));
        cases.add(new Case("not JSON", path, json, bytes("plan=pro&interval=month"), false));
        cases.add(new Case("text/plain", path, "text/plain", bytes(valid.toString()), false));
        cases.add(new Case("xml", path, "application/xml", bytes("<plan>pro</plan>"), false));
        cases.add(new Case("form", path, "application/x-www-form-urlencoded", bytes("plan=pro"), false));
        cases.add(new Case("deeply nested", path, json,
                bytes("{\"nested\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), false));
        cases.add(new Case("deeply nested objects", path, json,
                bytes("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)), false));
        byte[] invalidUtf8 = concat(bytes("{\"" + firstProperty(endpoint) + "\":\""),
                new byte[] { (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28 }, bytes("\"}"));
        cases.add(new Case("invalid UTF-8", path, json, invalidUtf8, false));
        cases.add(new Case("empty object", path, json, bytes("{}"), true));
        cases.add(new Case("extra field", path, json, bytes(valid.deepCopy().put("zz_unexpected", 1).toString()),
                true));
        for (Iterator<Map.Entry<String, JsonNode>> properties = endpoint.schema().path("properties")
                .properties().iterator(); properties.hasNext();) {
            Map.Entry<String, JsonNode> property = properties.next();
            String name = property.getKey();
            String type = property.getValue().path("type").asText("string");
            String same = valid.has(name) ? valid.get(name).toString() : "\"x\"";
            String duplicated = valid.deepCopy().without(name).toString();
            duplicated = "{\"" + name + "\":" + same + ",\"" + name + "\":" + same
                    + (duplicated.equals("{}") ? "}" : "," + duplicated.substring(1));
            cases.add(new Case(name + " twice", path, json, bytes(duplicated), false));
            for (JsonNode value : hostileValues(type)) {
                ObjectNode body = valid.deepCopy();
                body.set(name, value);
                // A blank string often means "the default" (interval), so it may be a valid request.
                boolean mayBeValid = value.isTextual() && value.asText().isEmpty();
                cases.add(new Case(name + "=" + abbreviate(value.toString()), path, json, bytes(body.toString()),
                        mayBeValid));
            }
            for (String raw : List.of("1e400", "123456789012345678901234567890", "-1e400")) {
                if (type.equals("integer") || type.equals("number")) {
                    cases.add(new Case(name + "=" + raw, path, json,
                            bytes(valid.deepCopy().put(name, 0).toString().replace("\"" + name + "\":0",
                                    "\"" + name + "\":" + raw)),
                            false));
                }
            }
        }
        return cases;
    }

    /** Values of the wrong type, or of the right type but out of any sensible range. */
    private static List<JsonNode> hostileValues(String type) {
        return switch (type) {
            case "integer", "number" -> List.of(NODES.textNode("7"), NODES.numberNode(1.5), NODES.booleanNode(true),
                    NODES.objectNode(), NODES.arrayNode(), NODES.numberNode(-1), NODES.numberNode(Long.MIN_VALUE),
                    NODES.numberNode(Long.MAX_VALUE));
            case "boolean" -> List.of(NODES.textNode("true"), NODES.numberNode(1), NODES.objectNode());
            case "array" -> List.of(NODES.textNode("x"), NODES.objectNode());
            case "object" -> List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.arrayNode());
            default -> List.of(NODES.numberNode(123), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(),
                    NODES.textNode(LONG), NODES.textNode("nul\u0000byte"), NODES.textNode("lone \ud800 surrogate"),
                    NODES.textNode(""));
        };
    }

    private ObjectNode validBody(Endpoint endpoint) {
        try {
            return (ObjectNode) MAPPER.readTree(VALID_BODIES.getOrDefault(endpoint.key(), "{}"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstProperty(Endpoint endpoint) {
        Iterator<String> names = endpoint.schema().path("properties").fieldNames();
        return names.hasNext() ? names.next() : "field";
    }

    private String fill(String template, String value) {
        String filled = template;
        while (filled.contains("{")) {
            int start = filled.indexOf('{');
            int end = filled.indexOf('}', start);
            String name = filled.substring(start + 1, end);
            String replacement = name.toLowerCase(Locale.ROOT).contains("account") && value.equals("fz-missing")
                    ? URLEncoder.encode(account, StandardCharsets.UTF_8)
                    : value;
            filled = filled.substring(0, start) + replacement + filled.substring(end + 1);
        }
        return filled;
    }

    /**
     * What any request could change, as counts and order-independent sums of row hashes, so that comparing
     * two digests is cheap enough to do around every endpoint.
     */
    private String digest() {
        Map<String, Object> digest = new LinkedHashMap<>();
        for (String table : List.of("account", "credit_ledger", "credit_balance", "credit_expiring", "license",
                "stripe_customer", "stripe_subscription", "stripe_checkout_session", "stripe_payment_intent",
                "stripe_product", "stripe_price", "reconciliation_cursor", "backfill_progress", "drift_check",
                "object_refresh")) {
            digest.put(table, db.one("select count(*) as n, coalesce(sum(hashtext(t::text)::bigint), 0) as h from "
                    + table + " t").values());
        }
        digest.put("stripe_event", db.one("select count(*) as n, coalesce(sum(hashtext(id || status)::bigint), 0)"
                + " as h from stripe_event").values());
        digest.put("callback_outbox", db.one("select count(*) filter (where status = 'dead') as n,"
                + " coalesce(sum(hashtext(id || status || attempts)::bigint) filter (where status = 'dead'), 0) as h"
                + " from callback_outbox").values());
        return digest.toString();
    }

    /** Earlier tests may have left events or callbacks in flight; the digest must only see this test. */
    private void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from stripe_event where status = 'pending'") == 0
                && db.count("select count(*) from callback_outbox where status = 'pending'") == 0);
    }

    /** UTF-8, with lone surrogates written as JSON escapes: UTF-8 itself cannot carry them. */
    private static byte[] bytes(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                escaped.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Short, and printable: control characters and surrogates would garble the failure report. */
    private static String abbreviate(String text) {
        StringBuilder flat = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 160); i++) {
            char c = text.charAt(i);
            flat.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return text.length() <= 160 ? flat.toString() : flat + "...(" + text.length() + " chars)";
    }
}
