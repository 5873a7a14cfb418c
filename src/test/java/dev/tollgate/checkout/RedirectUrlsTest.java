package dev.tollgate.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.common.ProblemException;
import dev.tollgate.testing.ConfigStubs;

/** Redirect URLs (success, cancel, portal return) against the allowed origins: the rule alone, no Quarkus. */
class RedirectUrlsTest {

    private static final Optional<String> DEFAULT = Optional.of("https://app.example.com/billing/success");

    private final RedirectUrls urls = redirectUrls(List.of("https://app.example.com", " HTTP://Localhost:3000 "));

    @ParameterizedTest
    @ValueSource(strings = {
            "https://app.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}",
            "https://APP.example.com/billing",
            "https://app.example.com:443/billing",
            "http://localhost:3000/billing/done#top" })
    void urlsOfAnAllowedOriginAreUsedAsGiven(String url) {
        assertEquals(url, urls.check("success_url", url, DEFAULT));
    }

    @Test
    void missingOrBlankFallsBackToTheDefaultAndWithoutOneIsRequired() {
        assertEquals(DEFAULT.get(), urls.check("success_url", null, DEFAULT));
        assertEquals(DEFAULT.get(), urls.check("success_url", "  ", DEFAULT));
        assertEquals("redirect-url-required", refusal("cancel_url", null, Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://evil.example.net/billing",
            "http://app.example.com/billing", // another scheme is another origin
            "https://app.example.com:8443/billing", // another port too
            "https://app.example.com.evil.net/billing",
            "https://app.example.com@evil.net/billing",
            "https://user:pw@app.example.com/billing",
            "//app.example.com/billing",
            "/billing/success",
            "javascript:alert(1)" })
    void urlsOutsideTheAllowedOriginsAreRefused(String url) {
        assertEquals("redirect-url-not-allowed", refusal("success_url", url, DEFAULT));
    }

    @Test
    void unparseableUrlsAreRefusedAsInvalid() {
        assertEquals("redirect-url-invalid", refusal("return_url", "https://app.example.com/a b", DEFAULT));
    }

    @Test
    void theRefusalNamesTheFieldAndTheAllowedOrigins() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> urls.check("cancel_url", "https://evil.example.net/", DEFAULT));
        assertEquals(400, e.problem().status());
        assertTrue(e.problem().detail().startsWith("cancel_url must start with one of the allowed origins: "),
                e.problem().detail());
        assertTrue(e.problem().detail().contains("http://localhost:3000, https://app.example.com"),
                e.problem().detail());
    }

    @Test
    void withNoOriginsConfiguredEverythingIsRefused() {
        RedirectUrls none = new RedirectUrls(ConfigStubs.of(CheckoutConfig.class, Map.of("allowedOrigins",
                Optional.empty())));
        assertThrows(ProblemException.class, () -> none.check("success_url", DEFAULT.get(), DEFAULT));
    }

    @Test
    void anInvalidConfiguredOriginStopsStartUp() {
        assertThrows(IllegalArgumentException.class, () -> redirectUrls(List.of("not an origin")));
    }

    private String refusal(String field, String url, Optional<String> fallback) {
        ProblemException e = assertThrows(ProblemException.class, () -> urls.check(field, url, fallback));
        assertEquals(400, e.problem().status());
        String type = e.problem().type();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    private static RedirectUrls redirectUrls(List<String> origins) {
        return new RedirectUrls(ConfigStubs.of(CheckoutConfig.class, Map.of("allowedOrigins", Optional.of(origins))));
    }
}
