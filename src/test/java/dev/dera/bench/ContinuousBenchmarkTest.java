package dev.dera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContinuousBenchmarkTest {

    @Test
    void theStepCostFitRecoversTheFixedPartAndWhatTheTargetNeeds() {
        // Steps cost 3 + 0.1 x rows: 1,000 tokens in 100 continuous steps (0.4 s) or 200 static ones (0.7 s), 1.75x.
        // For 1.5 the fixed part must be 1,000 x 0.5 / (200 - 1.5 x 100) = 10 rows' worth.
        assertEquals("a step's fixed cost fits 30 rows' worth (1.5 needs 10)",
                ContinuousBenchmark.stepCostFit(0.4, 0.7, 100, 200, 1000, 1.5));
    }

    @Test
    void aTargetBeyondTheStepRatioIsOutOfReach() {
        assertEquals("a step's fixed cost fits 30 rows' worth (2.5 is out of reach with these step counts)",
                ContinuousBenchmark.stepCostFit(0.4, 0.7, 100, 200, 1000, 2.5));
    }
}
