package dev.dera.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dera.eval.LambdaTable.LambdaRow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaTableTest {

    private static final List<ScoredCompletion> ROWS = List.of(
            new ScoredCompletion("a", 1.0, " She was happy.", 2.0, 4),
            new ScoredCompletion("a", 0.0, " She was sad.", 0.0, 4),
            new ScoredCompletion("b", 1.0, " It rained.", 4.0, 3),
            new ScoredCompletion("b", 0.0, " It rained.", 0.0, 6));

    @Test
    void tableHasOneRowPerLambdaWithMeans() {
        List<LambdaRow> table = LambdaTable.of(ROWS, new SentimentReward());

        assertEquals(2, table.size());
        LambdaRow reference = table.get(0);
        LambdaRow aligned = table.get(1);
        assertEquals(0.0, reference.lambda());
        assertEquals(2, reference.rows());
        assertEquals(-0.25, reference.meanReward(), 1e-12);
        assertEquals(0.0, reference.meanKlToRef());
        assertEquals(5.0, reference.meanCompletionTokens());
        assertEquals(1.0, aligned.lambda());
        assertEquals(0.25, aligned.meanReward(), 1e-12);
        assertEquals(3.0, aligned.meanKlToRef());
        assertEquals(3.5, aligned.meanCompletionTokens());
    }

    @Test
    void errorRowsCountButDoNotEnterTheMeans() {
        List<PromptGroup> groups = List.of(
                new PromptGroup(0.5, "a", 3, 1, 10, 1.0, 4.0),
                new PromptGroup(0.5, "b", 2, 2, 0, Double.NaN, 0.0));

        LambdaRow row = LambdaTable.summarize(groups, Optional.empty()).get(0);

        assertEquals(5, row.rows());
        assertEquals(3, row.errorRows());
        assertEquals(0.5, row.meanReward(), 1e-12);
        assertEquals(2.0, row.meanKlToRef(), 1e-12);
        assertEquals(5.0, row.meanCompletionTokens(), 1e-12);
    }

    @Test
    void bootstrapIntervalsHoldTheMeanAndAreSeeded() {
        List<PromptGroup> groups = new java.util.ArrayList<>();
        for (int p = 0; p < 40; p++) {
            groups.add(new PromptGroup(1.0, "p" + p, 2, 0, 20, p % 5, p));
        }
        LambdaRow row = LambdaTable.summarize(groups, Optional.of(Bootstrap.standard(3))).get(0);
        LambdaRow again = LambdaTable.summarize(groups, Optional.of(Bootstrap.standard(3))).get(0);
        LambdaRow otherSeed = LambdaTable.summarize(groups, Optional.of(Bootstrap.standard(4))).get(0);

        assertTrue(row.rewardInterval().low() < row.meanReward() && row.meanReward() < row.rewardInterval().high());
        assertTrue(row.klInterval().low() < row.meanKlToRef() && row.meanKlToRef() < row.klInterval().high());
        assertEquals(row, again);
        assertTrue(!row.equals(otherSeed));
    }

    @Test
    void jsonRoundTripsAndWritesNullForAbsentValues() {
        List<LambdaRow> table = LambdaTable.summarize(List.of(new PromptGroup(2.0, "a", 2, 0, 7, Double.NaN, 3.0)),
                Optional.empty());

        JsonObject line = LambdaTable.toJson(table).get(0).getAsJsonObject();

        assertTrue(line.get("mean_reward").isJsonNull());
        assertTrue(line.get("kl_ci_low").isJsonNull());
        assertEquals(1.5, line.get("mean_kl_to_ref").getAsDouble());
        assertEquals(3.5, line.get("mean_completion_tokens").getAsDouble());
        assertEquals(table, LambdaTable.fromJson(LambdaTable.toJson(table)));
        assertNull(LambdaTable.fromJson(LambdaTable.toJson(table)).get(0).rewardInterval());

        line.add("errors", line.remove("error_rows"));
        JsonArray older = new JsonArray();
        older.add(line);
        assertEquals(table, LambdaTable.fromJson(older), "a manifest written before error_rows");
    }
}
