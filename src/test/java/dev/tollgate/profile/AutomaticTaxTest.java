package dev.tollgate.profile;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.tollgate.testing.Db;
import dev.tollgate.testing.StripeStub;
import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** tollgate.tax.automatic=true: Stripe Tax on every Checkout, subscription change and preview. */
@QuarkusTest
@TestProfile(AutomaticTaxTest.TaxOn.class)
class AutomaticTaxTest {

    public static class TaxOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.tax.automatic", "true");
        }
    }

    @Inject
    Db db;

    private TaxStubs stripe;

    @BeforeEach
    void stubStripe() {
        stripe = new TaxStubs();
    }

    @AfterEach
    void removeStubs() {
        stripe.removeAll();
    }

    @Test
    void checkoutsCalculateTaxAndCollectTheAddressAndTaxId() {
        stripe.call("/v1/billing/checkout-sessions", Map.of("plan", "pro")).then().statusCode(200);
        StripeStub.server().verify(1, taxedCheckout().withRequestBody(containing("mode=subscription")));
        stripe.call("/v1/billing/checkout-sessions", Map.of("pack", "small", "quantity", 2)).then().statusCode(200);
        StripeStub.server().verify(1, taxedCheckout().withRequestBody(containing("mode=payment")));
        given().auth().oauth2(TestTokens.user(stripe.account)).get("/v1/billing/profile").then().statusCode(200)
                .body("automatic_tax", equalTo(true));
    }

    @Test
    void changesAndTheirPreviewsCalculateTax() {
        stripe.subscribed(db);
        stripe.call("/v1/billing/subscription/preview", Map.of("plan", "team")).then().statusCode(200)
                .body("tax", equalTo(760));
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/invoices/create_preview"))
                .withRequestBody(containing("customer=" + stripe.customer))
                .withRequestBody(containing("&automatic_tax%5Benabled%5D=true")));
        stripe.call("/v1/billing/subscription/change", Map.of("plan", "team")).then().statusCode(200)
                .body("plan", equalTo("team"));
        StripeStub.server().verify(1, postRequestedFor(urlEqualTo("/v1/subscriptions/" + stripe.subscription))
                .withRequestBody(containing("items%5B0%5D%5Bprice%5D=price_team_monthly"))
                .withRequestBody(containing("&automatic_tax%5Benabled%5D=true")));
    }

    private RequestPatternBuilder taxedCheckout() {
        return postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing("client_reference_id=" + stripe.account))
                .withRequestBody(containing("customer=" + stripe.customer))
                .withRequestBody(containing("&automatic_tax%5Benabled%5D=true"))
                .withRequestBody(containing("&billing_address_collection=required"))
                .withRequestBody(containing("&tax_id_collection%5Benabled%5D=true"))
                .withRequestBody(containing("&customer_update%5Baddress%5D=auto"))
                .withRequestBody(containing("&customer_update%5Bname%5D=auto"));
    }
}
