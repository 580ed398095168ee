package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealignmentSummaryTest {

    private static final List<ScoredCompletion> ROWS = List.of(
            new ScoredCompletion(1.0, " She was happy.", 2.0, 4),
            new ScoredCompletion(0.0, " She was sad.", 0.0, 4),
            new ScoredCompletion(1.0, " It rained.", 4.0, 3),
            new ScoredCompletion(0.0, " It rained.", 0.0, 6));

    @Test
    void tableHasOneRowPerLambdaWithMeans() {
        List<RealignmentSummary.LambdaRow> table = RealignmentSummary.summarize(ROWS, new SentimentReward());

        assertEquals(2, table.size());
        RealignmentSummary.LambdaRow reference = table.get(0);
        RealignmentSummary.LambdaRow aligned = table.get(1);
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
    void summaryJsonListsTheColumnsTheDemoReads(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("summary.json");
        RealignmentSummary.writeJson(RealignmentSummary.summarize(ROWS, new SentimentReward()), file);

        JsonArray json = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        assertEquals(2, json.size());
        JsonObject aligned = json.get(1).getAsJsonObject();
        assertEquals(1.0, aligned.get("lambda").getAsDouble());
        assertEquals(2, aligned.get("rows").getAsInt());
        assertEquals(0.25, aligned.get("mean_reward").getAsDouble(), 1e-12);
        assertEquals(3.0, aligned.get("mean_kl_to_ref").getAsDouble());
        assertEquals(3.5, aligned.get("mean_completion_tokens").getAsDouble());
    }
}
