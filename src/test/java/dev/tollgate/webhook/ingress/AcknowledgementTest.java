package dev.tollgate.webhook.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The acknowledgement is written by hand on the hot path; it must stay valid JSON for any event id. */
class AcknowledgementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void acknowledgementIsValidJsonWhateverTheId() throws Exception {
        JsonNode ack = MAPPER.readTree(StripeWebhookRoute.acknowledgement("evt_\"quoted\"\\\n", true));
        assertEquals("evt_\"quoted\"\\\n", ack.path("id").asText());
        assertTrue(ack.path("received").asBoolean());
        assertTrue(ack.path("duplicate").asBoolean());
    }

    @Test
    void aNewEventIsNotADuplicate() throws Exception {
        JsonNode ack = MAPPER.readTree(StripeWebhookRoute.acknowledgement("evt_1", false));
        assertEquals("evt_1", ack.path("id").asText());
        assertFalse(ack.path("duplicate").asBoolean());
    }
}
