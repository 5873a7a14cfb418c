package dev.tollgate.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.tollgate.testing.StripeListStubs.listing;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeListStubs;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Importing an existing Stripe account: everything, canceled subscriptions too; once; resumable. */
@QuarkusTest
@WithTestResource(value = StripeStub.class, scope = TestResourceScope.GLOBAL)
class BackfillTest {

    private static final String LISTS = "/v1/(customers|products|prices|subscriptions|invoices|payment_intents|refunds)";

    @Inject
    Db db;

    private final StripeListStubs stubs = new StripeListStubs();
    private String customer;
    private String active;
    private String canceled;
    private String invoice;
    private String intent;
    private String charge;
    private String refund;
    private String product;
    private String price;

    @BeforeEach
    void stripeAccount() {
        long t = System.currentTimeMillis() / 1000 - 90 * 86_400;
        String account = StripeEvents.newId("acct");
        customer = "cus_" + account;
        active = StripeEvents.newId("sub");
        canceled = StripeEvents.newId("sub");
        invoice = StripeEvents.newId("in");
        intent = StripeEvents.newId("pi");
        charge = StripeEvents.newId("ch");
        refund = StripeEvents.newId("re");
        product = StripeEvents.newId("prod");
        price = StripeEvents.newId("price");

        stubs.list("/v1/customers", false, StripeObjects.customer(customer, account));
        stubs.list("/v1/products", false, StripeFixtures.object("product").put("id", product));
        stubs.list("/v1/prices", false,
                StripeFixtures.object("price").put("id", price).put("product", product));
        stubs.list(listing("/v1/subscriptions").withQueryParam("status", equalTo("all"))
                .withQueryParam("starting_after", absent()), "/v1/subscriptions", true,
                StripeObjects.subscription(active, customer, "active", t + 60 * 86_400, t + 90 * 86_400));
        stubs.list(listing("/v1/subscriptions").withQueryParam("status", equalTo("all"))
                .withQueryParam("starting_after", equalTo(active)), "/v1/subscriptions", false, canceledSubscription(t));
        stubs.list("/v1/invoices", false,
                StripeObjects.invoice(invoice, customer, active, "paid", 2000));
        ObjectNode paymentIntent = StripeObjects.paymentIntent(intent, customer, "succeeded", 2000);
        paymentIntent.set("latest_charge", StripeObjects.charge(charge, customer, intent, 2000, 500));
        stubs.list(listing("/v1/payment_intents").withQueryParam("expand[]", equalTo("data.latest_charge")),
                "/v1/payment_intents", false, paymentIntent);
        stubs.list("/v1/refunds", false, StripeObjects.refund(refund, charge, intent, 500));
    }

    @AfterEach
    void removeStubs() {
        stubs.removeAll();
    }

    @Test
    void importsTheAccountWithItsCanceledSubscriptionsAndASecondRunChangesNothing() {
        startAndAwait(true);

        assertEquals("active", db.value("select status from stripe_subscription where id = $1", active));
        assertEquals("canceled", db.value("select status from stripe_subscription where id = $1", canceled));
        assertEquals(customer, db.value("select customer_id from stripe_subscription where id = $1", canceled));
        assertEquals("paid", db.value("select status from stripe_invoice where id = $1", invoice));
        assertEquals(charge, db.value("select latest_charge_id from stripe_payment_intent where id = $1", intent));
        assertEquals("4242", db.value("select card_last4 from stripe_charge where id = $1", charge));
        assertEquals("succeeded", db.value("select status from stripe_refund where id = $1", refund));
        assertEquals(1, db.count("select count(*) from stripe_product where id = $1", product));
        assertEquals(product, db.value("select product_id from stripe_price where id = $1", price));
        assertEquals(1, db.count("select count(*) from stripe_customer where id = $1", customer));
        JsonPath status = status();
        assertEquals(List.of(true, true, true, true, true, true, true), status.getList("resources.done"));
        assertEquals(2, status.getInt("resources.find { it.resource == 'subscriptions' }.imported"));
        List<Map<String, Object>> before = mirrorVersions();
        int listsBefore = listRequests();

        startAndAwait(false);

        assertEquals(listsBefore, listRequests(), "a finished backfill lists nothing again");
        assertEquals(before, mirrorVersions());
    }

    @Test
    void interruptedRunContinuesAfterTheLastImportedPage() {
        stubs.error(secondSubscriptionsPage(), 500, "api_error", "An error occurred with our connection to Stripe.");

        startAndAwait(true);

        JsonPath stopped = status();
        assertEquals(true, stopped.get("resources.find { it.resource == 'customers' }.done"));
        assertEquals(false, stopped.get("resources.find { it.resource == 'subscriptions' }.done"));
        assertEquals(active, stopped.get("resources.find { it.resource == 'subscriptions' }.starting_after"));
        assertNotNull(stopped.get("resources.find { it.resource == 'subscriptions' }.last_error"));
        assertNull(stopped.get("resources.find { it.resource == 'invoices' }.started_at"));
        assertEquals(1, db.count("select count(*) from stripe_subscription where id = $1", active));
        assertEquals(0, db.count("select count(*) from stripe_subscription where id = $1", canceled));

        stubs.list(secondSubscriptionsPage(), "/v1/subscriptions", false,
                canceledSubscription(System.currentTimeMillis() / 1000));
        int customerLists = StripeListStubs.requests("/v1/customers");
        int firstPages = StripeListStubs.requests(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("starting_after", absent()));

        startAndAwait(false);

        assertEquals("canceled", db.value("select status from stripe_subscription where id = $1", canceled));
        assertEquals("paid", db.value("select status from stripe_invoice where id = $1", invoice));
        assertEquals(customerLists, StripeListStubs.requests("/v1/customers"), "customers were done: not listed again");
        assertEquals(firstPages, StripeListStubs.requests(getRequestedFor(urlPathEqualTo("/v1/subscriptions"))
                .withQueryParam("starting_after", absent())), "the first page was not read again");
        JsonPath finished = status();
        assertEquals(List.of(true, true, true, true, true, true, true), finished.getList("resources.done"));
        assertNull(finished.get("resources.find { it.resource == 'subscriptions' }.last_error"));
    }

    @Test
    void aSecondStartWhileOneRunsIsRefused() {
        // Stripe answers slowly, so the first run is still busy when the second start comes.
        stubs.slowList(listing("/v1/subscriptions").atPriority(1), "/v1/subscriptions", 1500);

        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/backfill?restart=true").then()
                .statusCode(202).body("running", is(true));
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/backfill").then().statusCode(409)
                .contentType("application/problem+json");
        awaitIdle();
    }

    private ObjectNode canceledSubscription(long t) {
        return StripeObjects.subscription(canceled, customer, "canceled", t, t + 30 * 86_400).put("canceled_at", t)
                .put("ended_at", t);
    }

    private void startAndAwait(boolean restart) {
        given().auth().oauth2(TestTokens.admin()).post("/v1/admin/reconciliation/backfill?restart=" + restart).then()
                .statusCode(202);
        awaitIdle();
    }

    private static void awaitIdle() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !status().getBoolean("running"));
    }

    private static JsonPath status() {
        return given().auth().oauth2(TestTokens.admin()).get("/v1/admin/reconciliation/backfill").then()
                .statusCode(200).extract().jsonPath();
    }

    private List<Map<String, Object>> mirrorVersions() {
        return db.rows("select id, version_created, version_event_id, updated_at from stripe_subscription"
                + " where id = any($1) order by id", (Object) new String[] { active, canceled });
    }

    private static int listRequests() {
        return StripeListStubs.requests(getRequestedFor(urlPathMatching(LISTS)));
    }

    private MappingBuilder secondSubscriptionsPage() {
        return listing("/v1/subscriptions").withQueryParam("status", equalTo("all"))
                .withQueryParam("starting_after", equalTo(active));
    }
}
