package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo runs the embedded pair end to end and writes summary.json; evaluate reproduces that table. */
class DemoAndEvaluateCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoWritesASummaryWhoseKlRisesWithLambdaAndEvaluateAgrees() throws IOException {
        Path out = dir.resolve("demo");
        assertEquals(0, DeraCli.commandLine().execute("demo", "--out", out.toString(), "--prompts", "12",
                "--models", "models/embedded"));
        JsonArray summary = read(out.resolve("summary.json"));
        assertEquals(DemoCommand.LAMBDAS.split(",").length, summary.size());
        double previousKl = -1;
        for (int i = 0; i < summary.size(); i++) {
            JsonObject row = summary.get(i).getAsJsonObject();
            assertEquals(Double.parseDouble(DemoCommand.LAMBDAS.split(",")[i]), row.get("lambda").getAsDouble());
            assertEquals(12 * 2, row.get("rows").getAsInt());
            assertTrue(row.get("mean_completion_tokens").getAsDouble() > 0);
            double kl = row.get("mean_kl_to_ref").getAsDouble();
            assertTrue(i == 0 ? kl == 0 : kl > previousKl, "KL at row " + i + ": " + kl);
            previousKl = kl;
        }

        Path again = dir.resolve("evaluated.json");
        assertEquals(0, DeraCli.commandLine().execute("evaluate", "--input", out.resolve("generations").toString(),
                "--reward", "sentiment", "--summary", again.toString()));
        assertEquals(summary, read(again));
    }

    @Test
    void evaluateRefusesAFolderThatDeraDidNotWrite() {
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("evaluate", "--input",
                dir.toString()));
    }

    private static JsonArray read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonArray();
    }
}
