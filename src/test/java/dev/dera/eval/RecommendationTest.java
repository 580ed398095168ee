package dev.dera.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.eval.LambdaTable.LambdaRow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecommendationTest {
    private static final List<LambdaRow> TABLE = List.of(row(0, 0.1, 0), row(0.5, 0.4, 2), row(1, 0.6, 9),
            row(2, 0.5, 40));

    @Test
    void theHighestRewardWithinTheBudgetWins() {
        assertEquals(0.5, Recommendation.choose(TABLE, Optional.of(5.0)).lambda().getAsDouble());
        assertEquals(1.0, Recommendation.choose(TABLE, Optional.of(9.0)).lambda().getAsDouble());
        Recommendation unbounded = Recommendation.choose(TABLE, Optional.empty());
        assertEquals(1.0, unbounded.lambda().getAsDouble());
        assertTrue(unbounded.reason().contains("no KL budget"), unbounded.reason());
    }

    @Test
    void whenNoLambdaFitsTheReasonNamesTheClosest() {
        Recommendation none = Recommendation.choose(TABLE.subList(1, 4), Optional.of(1.0));
        assertTrue(none.lambda().isEmpty());
        assertTrue(none.reason().contains("the smallest is 2.0000 nats at lambda 0.5"), none.reason());
    }

    private static LambdaRow row(double lambda, double reward, double kl) {
        return new LambdaRow(lambda, 10, 0, 100, reward, null, kl, null, 10);
    }
}
