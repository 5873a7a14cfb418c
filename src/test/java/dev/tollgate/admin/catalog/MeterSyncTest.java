package dev.tollgate.admin.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.tollgate.testing.MeteredPlanProfile;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import dev.tollgate.testing.StripeStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Catalog sync creates a metered plan's Billing Meter and metered price with Stripe's exact parameters. */
@QuarkusTest
@TestProfile(MeteredPlanProfile.class)
class MeterSyncTest {

    @Inject
    MeterSync meters;

    private final List<StubMapping> stubs = new ArrayList<>();

    @AfterEach
    void removeStubs() {
        stubs.forEach(StripeStub.server()::removeStub);
    }

    @Test
    void aMissingMeterAndMeteredPriceAreCreatedOnThePlansProduct() {
        stub(get(urlEqualTo("/v1/billing/meters?limit=100")), 200,
                StripeObjects.list("/v1/billing/meters", false).toString());
        stub(post(urlEqualTo("/v1/billing/meters")), 200, StripeFixtures.object("billing.meter")
                .put("id", "mtr_scale").put("event_name", MeteredPlanProfile.EVENT_NAME).toString());
        stub(get(urlEqualTo("/v1/prices/" + MeteredPlanProfile.METERED_PRICE)), 404,
                StripeObjects.missing("id", MeteredPlanProfile.METERED_PRICE));
        stub(get(urlEqualTo("/v1/prices?limit=1&lookup_keys%5B%5D=tollgate_meter_scale_api-calls_monthly")), 200,
                StripeObjects.list("/v1/prices", false).toString());
        stub(post(urlEqualTo("/v1/prices")), 200, StripeObjects.price("price_metered_new", "prod_scale", 0, "month",
                "tollgate_meter_scale_api-calls_monthly").toString());

        List<CatalogSyncReport.Item> items = meters.sync(false, List.of(new CatalogSyncReport.Item("plan", "scale",
                "monthly", "exists", MeteredPlanProfile.PRICE, "prod_scale", null, 1000L, null, null)))
                .await().atMost(Duration.ofSeconds(30));

        CatalogSyncReport.Item meter = items.get(0);
        assertEquals(List.of("meter", "scale.api-calls", "created", "mtr_scale"),
                List.of(meter.kind(), meter.id(), meter.action(), meter.note()));
        CatalogSyncReport.Item price = items.get(1);
        assertEquals(List.of("metered_price", "monthly", "created", "price_metered_new", "prod_scale"),
                List.of(price.kind(), price.interval(), price.action(), price.priceId(), price.productId()));

        LoggedRequest createdMeter = only("/v1/billing/meters");
        assertEquals(Map.of("display_name", "API calls", "event_name", MeteredPlanProfile.EVENT_NAME,
                "default_aggregation[formula]", "sum", "customer_mapping[type]", "by_id",
                "customer_mapping[event_payload_key]", "stripe_customer_id", "value_settings[event_payload_key]",
                "value"), dev.tollgate.usage.UsageForms.decode(createdMeter));
        assertEquals("tollgate-meter-" + MeteredPlanProfile.EVENT_NAME, createdMeter.getHeader("Idempotency-Key"));
        LoggedRequest createdPrice = only("/v1/prices");
        assertEquals(Map.ofEntries(Map.entry("product", "prod_scale"), Map.entry("currency", "usd"),
                Map.entry("unit_amount_decimal", "0.5"), Map.entry("recurring[interval]", "month"),
                Map.entry("recurring[usage_type]", "metered"), Map.entry("recurring[meter]", "mtr_scale"),
                Map.entry("lookup_key", "tollgate_meter_scale_api-calls_monthly"),
                Map.entry("nickname", "api-calls monthly"), Map.entry("metadata[tollgate_plan]", "scale"),
                Map.entry("metadata[tollgate_meter]", "api-calls")), dev.tollgate.usage.UsageForms.decode(createdPrice));
    }

    private static LoggedRequest only(String url) {
        List<LoggedRequest> requests = StripeStub.server().findAll(postRequestedFor(urlEqualTo(url)));
        assertEquals(1, requests.size(), url);
        return requests.get(0);
    }

    private void stub(MappingBuilder request, int status, String body) {
        stubs.add(StripeStub.server().stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body))));
    }
}
