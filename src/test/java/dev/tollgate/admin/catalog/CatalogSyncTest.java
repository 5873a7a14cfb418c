package dev.tollgate.admin.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Catalog sync against a stateful Stripe stub: Pro monthly and the small pack exist under their configured ids,
 * Pro and Team yearly only under their lookup_keys (Team yearly on a product made in the Dashboard), Team monthly
 * and the large pack are missing (until created), and the legacy plan's configured price is unknown to Stripe
 * and has no amount to create it with.
 */
@QuarkusTest
class CatalogSyncTest {

    private static final String CREATED = "created";
    private final StripeListStubs stubs = new StripeListStubs();

    @BeforeEach
    void stripeCatalog() {
        StripeStub.server().resetScenarios();
        ObjectNode proMonthly = StripeObjects.price("price_pro_monthly", "prod_pro", 2000, "month", null);
        // Expanded currency_options with another eur amount than the configured 1900: reported, never changed.
        proMonthly.putObject("currency_options").putObject("eur").put("unit_amount", 1800);
        found("/v1/prices/price_pro_monthly", proMonthly);
        missing("/v1/prices/price_pro_yearly", "price_pro_yearly");
        found(lookup("tollgate_plan_pro_yearly"), StripeObjects.list("/v1/prices", false,
                StripeObjects.price("price_pro_yearly_v2", "prod_pro", 19000, "year", "tollgate_plan_pro_yearly")));
        found("/v1/prices/price_pack_small", StripeObjects.price("price_pack_small", "prod_packs", 500, null, null));
        for (String id : List.of("price_team_monthly", "price_team_yearly", "price_pack_large",
                "price_legacy_monthly")) {
            missing("/v1/prices/" + id, id);
        }
        found(lookup("tollgate_plan_legacy_monthly"), StripeObjects.list("/v1/prices", false));
        createdOnDemand("tollgate_plan_team_monthly", "price_team_m_new", "prod_team_dashboard", 6000, "month");
        found(lookup("tollgate_plan_team_yearly"), StripeObjects.list("/v1/prices", false, StripeObjects.price(
                "price_team_yearly_dashboard", "prod_team_dashboard", 60000, "year", "tollgate_plan_team_yearly")));
        createdOnDemand("tollgate_pack_large", "price_large_new", "tollgate_pack_large", 4000, null);
        productOnDemand("tollgate_pack_large", "5,000 credits");
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void aDryRunReportsWhatWouldBeCreatedAndCreatesNothing() {
        int posts = posts();

        sync(true).body("dry_run", equalTo(true))
                .body("summary.exists", equalTo(4)).body("summary.would_create", equalTo(2))
                .body("summary.missing_amount", equalTo(1))
                .body(item("pro", "monthly") + ".action", equalTo("exists"))
                .body(item("pro", "monthly") + ".price_id", equalTo("price_pro_monthly"))
                .body(item("pro", "monthly") + ".product_id", equalTo("prod_pro"))
                .body(item("pro", "monthly") + ".note",
                        equalTo("Stripe's currency_options lack the configured eur 1900."))
                .body(item("pro", "yearly") + ".action", equalTo("exists"))
                .body(item("pro", "yearly") + ".price_id", equalTo("price_pro_yearly_v2"))
                .body(item("pro", "yearly") + ".note", containsString("amount is 19000, the configured one 20000"))
                .body(item("team", "monthly") + ".action", equalTo("would_create"))
                .body(item("team", "monthly") + ".product_id", equalTo("prod_team_dashboard"))
                .body(item("team", "monthly") + ".product_action", equalTo("exists"))
                .body(item("team", "monthly") + ".amount", equalTo(6000))
                .body(pack("large") + ".action", equalTo("would_create"))
                .body(pack("large") + ".product_id", equalTo("tollgate_pack_large"))
                .body(pack("large") + ".product_action", equalTo("would_create"))
                .body(pack("small") + ".action", equalTo("exists"))
                .body(item("legacy", "monthly") + ".action", equalTo("missing_amount"))
                .body(item("legacy", "monthly") + ".note",
                        containsString("tollgate.catalog.plans.legacy.monthly-amount"));

        assertEquals(posts, posts(), "a dry run must not POST to Stripe");
    }

    @Test
    void aRealRunCreatesOnlyWhatIsMissingAndASecondRunNothing() {
        int products = posts("/v1/products");
        int prices = posts("/v1/prices");

        sync(false).body("dry_run", equalTo(false))
                .body("summary.exists", equalTo(4)).body("summary.created", equalTo(2))
                .body("summary.missing_amount", equalTo(1))
                .body(item("team", "monthly") + ".action", equalTo("created"))
                .body(item("team", "monthly") + ".price_id", equalTo("price_team_m_new"))
                // The missing monthly price goes on the product the existing yearly price is on.
                .body(item("team", "monthly") + ".product_id", equalTo("prod_team_dashboard"))
                .body(item("team", "monthly") + ".product_action", equalTo("exists"))
                .body(item("team", "monthly") + ".note",
                        containsString("tollgate.catalog.plans.team.monthly-price=price_team_m_new"))
                .body(item("team", "yearly") + ".action", equalTo("exists"))
                .body(pack("large") + ".product_action", equalTo("created"))
                .body(pack("large") + ".action", equalTo("created"))
                .body(pack("large") + ".price_id", equalTo("price_large_new"));

        assertEquals(products + 1, posts("/v1/products"), "only the large pack's product was missing");
        assertEquals(prices + 2, posts("/v1/prices"), "Team monthly and the large pack");
        StripeStub.server().verify(1, postRequestedFor(urlPathEqualTo("/v1/prices"))
                .withHeader("Idempotency-Key", WireMock.equalTo("tollgate-catalog-tollgate_plan_team_monthly-6000-usd"))
                .withRequestBody(containing("product=prod_team_dashboard"))
                .withRequestBody(containing("unit_amount=6000"))
                .withRequestBody(containing("recurring%5Binterval%5D=month"))
                .withRequestBody(containing("metadata%5Btollgate_plan%5D=team")));
        // The large pack is sold in eur and gbp too: one price with currency_options, the amounts in its key.
        StripeStub.server().verify(1, postRequestedFor(urlPathEqualTo("/v1/prices"))
                .withHeader("Idempotency-Key",
                        WireMock.equalTo("tollgate-catalog-tollgate_pack_large-4000-usd-eur3700-gbp3200"))
                .withRequestBody(containing("lookup_key=tollgate_pack_large"))
                .withRequestBody(containing("currency=usd&unit_amount=4000"))
                .withRequestBody(containing("&currency_options%5Beur%5D%5Bunit_amount%5D=3700"))
                .withRequestBody(containing("&currency_options%5Bgbp%5D%5Bunit_amount%5D=3200"))
                .withRequestBody(WireMock.notContaining("recurring")));
        StripeStub.server().verify(0, postRequestedFor(urlPathEqualTo("/v1/prices"))
                .withRequestBody(containing("lookup_key=tollgate_plan_team_monthly"))
                .withRequestBody(containing("currency_options")));
        StripeStub.server().verify(1, postRequestedFor(urlPathEqualTo("/v1/products"))
                .withHeader("Idempotency-Key", WireMock.equalTo("tollgate-catalog-tollgate_pack_large"))
                .withRequestBody(containing("id=tollgate_pack_large"))
                .withRequestBody(containing("metadata%5Btollgate_pack%5D=large")));

        sync(false).body("summary.exists", equalTo(6)).body("summary.missing_amount", equalTo(1))
                .body("summary.created", equalTo(null))
                .body(item("team", "monthly") + ".price_id", equalTo("price_team_m_new"))
                .body(pack("large") + ".price_id", equalTo("price_large_new"));
        assertEquals(products + 1, posts("/v1/products"));
        assertEquals(prices + 2, posts("/v1/prices"));
    }

    @Test
    void withoutAdminTheCatalogIsNotSynced() {
        given().auth().oauth2(TestTokens.service()).post("/v1/admin/catalog/sync?dry_run=false").then()
                .statusCode(403);
    }

    private static ValidatableResponse sync(boolean dryRun) {
        return given().auth().oauth2(TestTokens.admin()).post("/v1/admin/catalog/sync?dry_run=" + dryRun).then()
                .statusCode(200);
    }

    private static String item(String plan, String interval) {
        return "items.find { it.kind == 'plan' && it.id == '" + plan + "' && it.interval == '" + interval + "' }";
    }

    private static String pack(String pack) {
        return "items.find { it.kind == 'pack' && it.id == '" + pack + "' }";
    }

    private static String lookup(String key) {
        return "/v1/prices?limit=1&lookup_keys%5B%5D=" + key;
    }

    private static int posts() {
        return posts("/v1/products") + posts("/v1/prices");
    }

    private static int posts(String path) {
        return StripeStub.server().findAll(postRequestedFor(urlPathEqualTo(path))).size();
    }

    /** A price Stripe does not have until a POST with its lookup_key creates it. */
    private void createdOnDemand(String lookupKey, String priceId, String product, long amount, String interval) {
        ObjectNode price = StripeObjects.price(priceId, product, amount, interval, lookupKey);
        stubs.answer(get(urlEqualTo(lookup(lookupKey))).inScenario(lookupKey).whenScenarioStateIs(STARTED),
                200, StripeObjects.list("/v1/prices", false).toString());
        stubs.answer(post(urlPathEqualTo("/v1/prices")).withRequestBody(containing("lookup_key=" + lookupKey))
                .inScenario(lookupKey).willSetStateTo(CREATED), 200, price.toString());
        stubs.answer(get(urlEqualTo(lookup(lookupKey))).inScenario(lookupKey).whenScenarioStateIs(CREATED),
                200, StripeObjects.list("/v1/prices", false, price).toString());
    }

    /** A product Stripe does not have until a POST with its id creates it. */
    private void productOnDemand(String id, String name) {
        ObjectNode product = StripeObjects.product(id, name);
        stubs.answer(get(urlEqualTo("/v1/products/" + id)).inScenario(id).whenScenarioStateIs(STARTED), 404,
                StripeObjects.missing("product", id));
        stubs.answer(post(urlPathEqualTo("/v1/products")).withRequestBody(containing("id=" + id + "&"))
                .inScenario(id).willSetStateTo(CREATED), 200, product.toString());
        stubs.answer(get(urlEqualTo("/v1/products/" + id)).inScenario(id).whenScenarioStateIs(CREATED), 200,
                product.toString());
    }

    private void found(String url, ObjectNode body) {
        stubs.answer(get(urlEqualTo(url)), 200, body.toString());
    }

    private void missing(String url, String id) {
        stubs.answer(get(urlEqualTo(url)), 404, StripeObjects.missing("price", id));
    }
}
