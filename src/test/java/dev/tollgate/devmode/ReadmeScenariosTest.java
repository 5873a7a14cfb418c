package dev.tollgate.devmode;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Plays every scenario command of README "The story in dev mode", in README's order, and compares GET
 * /v1/billing/entitlements after each with the JSON README shows below the command, so README cannot drift.
 * {@code "…"} in README stands for any value (a timestamp).
 */
@QuarkusTest
class ReadmeScenariosTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern COMMAND = Pattern
            .compile("/dev/scenarios/([a-z-]+)\\?account=([A-Za-z0-9-]+)(?:&ref=([A-Za-z0-9]+))?'");
    private static final Pattern EXPECTED = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    record Step(String scenario, String account, String ref, String expected) {
    }

    @Test
    void everyReadmeScenarioEndsInTheEntitlementsReadmeShows() throws IOException {
        List<Step> steps = readmeSteps();
        assertEquals(Scenario.values().length, steps.size(), "README shows each scenario once: " + steps);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> drift = new ArrayList<>();
        for (Step step : steps) {
            String account = step.account() + "-" + run;
            Response played = given().queryParam("account", account).queryParams(refParam(step))
                    .when().post("/dev/scenarios/" + step.scenario());
            played.then().statusCode(200);
            List<String> statuses = played.jsonPath().getList("events.status");
            assertFalse(statuses.isEmpty(), step.scenario());
            statuses.forEach(status -> assertFalse(status.equals("pending") || status.equals("failed")
                    || status.equals("not stored"), step.scenario() + ": " + played.asString()));
            String actual = given().auth().oauth2(TestTokens.user(account)).when().get("/v1/billing/entitlements")
                    .then().statusCode(200).extract().asString();
            JsonNode actualJson = MAPPER.readTree(actual);
            ((ObjectNode) actualJson).put("account", step.account());
            JsonNode expected = step.expected().startsWith("EXPECTED_") ? null : MAPPER.readTree(step.expected());
            if (expected == null || !matches(expected, actualJson)) {
                drift.add(step.scenario() + ": README shows\n" + step.expected() + "\nbut the service answers\n"
                        + MAPPER.writeValueAsString(actualJson));
            }
        }
        if (!drift.isEmpty()) {
            fail("README \"The story in dev mode\" is out of date:\n" + String.join("\n", drift));
        }
    }

    private static Map<String, String> refParam(Step step) {
        return step.ref() == null ? Map.of() : Map.of("ref", step.ref());
    }

    static List<Step> readmeSteps() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## The story in dev mode");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<Step> steps = new ArrayList<>();
        Matcher command = COMMAND.matcher(section);
        while (command.find()) {
            Matcher expected = EXPECTED.matcher(section);
            if (!expected.find(command.end())) {
                fail("README shows no expected JSON after the scenario " + command.group(1));
            }
            steps.add(new Step(command.group(1), command.group(2), command.group(3), expected.group(1).trim()));
        }
        return steps;
    }

    /** Same fields and values, where an expected "…" takes any non-null value. */
    static boolean matches(JsonNode expected, JsonNode actual) {
        if (expected.isTextual() && expected.asText().equals("…")) {
            return actual != null && !actual.isNull();
        }
        if (expected.isObject()) {
            if (actual == null || !actual.isObject() || actual.size() != expected.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!matches(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}
