package dev.tollgate.devmode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.StripeFixtures;

/** The scenarios' Stripe shapes are fixtures3.json's objects, unchanged. */
class StripeShapesTest {

    @Test
    void everyShapeIsTheFixtureObjectUnchanged() {
        int compared = 0;
        for (String type : StripeShapes.types()) {
            assertEquals(StripeFixtures.object(type), StripeShapes.object(type), type);
            compared++;
        }
        assertEquals(9, compared);
    }
}
