package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void greedyHasNoTemperatureAndNoFilters() {
        SamplingParams greedy = SamplingParams.greedy();
        assertTrue(greedy.isGreedy());
        assertEquals(new SamplingParams(0, 0, 1, 0), greedy);
        assertFalse(new SamplingParams(0.7, 50, 0.9, 0.05).isGreedy());
    }

    @Test
    void messagesNameTheBadValueAndTheValidRange() {
        assertMessage("temperature must be a finite number >= 0 (0 = greedy), got -0.5",
                () -> new SamplingParams(-0.5, 0, 1, 0));
        assertMessage("temperature must be a finite number >= 0 (0 = greedy), got NaN",
                () -> new SamplingParams(Double.NaN, 0, 1, 0));
        assertMessage("temperature must be a finite number >= 0 (0 = greedy), got Infinity",
                () -> new SamplingParams(Double.POSITIVE_INFINITY, 0, 1, 0));
        assertMessage("topK must be >= 0 (0 = off), got -3", () -> new SamplingParams(1, -3, 1, 0));
        assertMessage("topP must be in (0, 1] (1 = off), got 0.0", () -> new SamplingParams(1, 0, 0, 0));
        assertMessage("topP must be in (0, 1] (1 = off), got 1.5", () -> new SamplingParams(1, 0, 1.5, 0));
        assertMessage("topP must be in (0, 1] (1 = off), got NaN", () -> new SamplingParams(1, 0, Double.NaN, 0));
        assertMessage("minP must be in [0, 1) (0 = off), got 1.0", () -> new SamplingParams(1, 0, 1, 1));
        assertMessage("minP must be in [0, 1) (0 = off), got -0.1", () -> new SamplingParams(1, 0, 1, -0.1));
    }

    private static void assertMessage(String expected, Runnable construction) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, construction::run).getMessage());
    }
}
