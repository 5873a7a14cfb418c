package dev.tollgate.webhook.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The streaming envelope reader: what it accepts, what it refuses, and with which words. */
class EnvelopeParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final EnvelopeParser parser = new EnvelopeParser(MAPPER);

    @Test
    void readsTheEnvelopeAndTheObjectHeadOnly() {
        String body = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1790000000,"
                + "\"api_version\":\"2026-07-29.dahlia\",\"livemode\":true,\"data\":{\"previous_attributes\":"
                + "{\"status\":\"open\"},\"object\":{\"lines\":{\"data\":[{\"id\":\"il_1\",\"object\":\"line_item\"}]},"
                + "\"id\":\"in_1\",\"object\":\"invoice\"}}}";
        EventEnvelope envelope = parse(body);
        assertEquals("evt_1", envelope.id());
        assertEquals("invoice.paid", envelope.type());
        assertEquals(1_790_000_000L, envelope.created());
        assertEquals("2026-07-29.dahlia", envelope.apiVersion());
        assertTrue(envelope.livemode());
        assertEquals("invoice", envelope.objectType(), "nested objects do not shadow the object's own type");
        assertEquals("in_1", envelope.objectId());
        assertEquals(body, new String(envelope.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void missingOptionalPartsAreNull() {
        EventEnvelope envelope = parse("{\"id\":\"evt_2\",\"type\":\"x.y\",\"created\":1,\"data\":{\"object\":{}}}");
        assertNull(envelope.apiVersion());
        assertNull(envelope.objectId());
        assertFalse(envelope.livemode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":\"evt\",\"type\":|not valid JSON",
            "[1,2]|not a JSON object",
            "''|not a JSON object",
            "{\"object\":{\"a\":1},\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}|\"object\" is \"\"",
            "{\"object\":\"customer\",\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}|not \"event\"",
            "{\"id\":7,\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}|\"id\" is missing",
            "{\"id\":\" \",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}|\"id\" is missing",
            "{\"id\":\"e\",\"created\":1,\"data\":{\"object\":{}}}|\"type\" is missing",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":1.5,\"data\":{\"object\":{}}}|\"created\" is missing or not an integer",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":123456789012345678901234567890,\"data\":{\"object\":{}}}|not an integer",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":[]}}|\"data.object\" is missing",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{\"id\":\"x\"}}|not valid JSON",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}} {\"id\":\"f\"}|not valid JSON",
            "{\"id\":\"e\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}garbage|not valid JSON" })
    void refusesWhatIsNotAnEvent(String body, String reason) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> parse(body));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void tooLongIdIsRefused() {
        String id = "evt_" + "x".repeat(300);
        MalformedEventException e = assertThrows(MalformedEventException.class,
                () -> parse("{\"id\":\"" + id + "\",\"type\":\"t\",\"created\":1,\"data\":{\"object\":{}}}"));
        assertTrue(e.getMessage().contains("longer than 255"));
    }

    private EventEnvelope parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
