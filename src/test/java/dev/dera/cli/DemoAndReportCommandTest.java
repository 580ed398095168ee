package dev.dera.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.eval.RewardModel;
import dev.dera.eval.TinyRewardModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * demo runs the embedded pair end to end and writes the report; report's recommendation follows from its own table;
 * evaluate prints the same table; a reward column joined by the user is averaged exactly.
 */
class DemoAndReportCommandTest {
    private static final int PROMPTS = 8;

    @TempDir
    static Path dir;

    @BeforeAll
    static void runDemo() {
        assertEquals(0, DeraCli.commandLine().execute("demo", "--out", dir.resolve("demo").toString(), "--prompts",
                String.valueOf(PROMPTS), "--models", "models/embedded"));
    }

    @Test
    void demoWritesAReportWhoseKlRisesWithLambdaAndWhoseRecommendationFollowsFromItsTable() throws IOException {
        Path report = dir.resolve("demo").resolve("report");
        JsonObject summary = read(report.resolve("summary.json")).getAsJsonObject();
        JsonArray lambdas = summary.getAsJsonArray("lambdas");
        assertEquals(DemoCommand.LAMBDAS.split(",").length, lambdas.size());
        double previousKl = -1;
        double budget = summary.get("kl_budget").getAsDouble();
        double bestReward = Double.NEGATIVE_INFINITY;
        double best = Double.NaN;
        for (int i = 0; i < lambdas.size(); i++) {
            JsonObject row = lambdas.get(i).getAsJsonObject();
            assertEquals(Double.parseDouble(DemoCommand.LAMBDAS.split(",")[i]), row.get("lambda").getAsDouble());
            assertEquals(PROMPTS * 2, row.get("rows").getAsInt());
            assertEquals(0, row.get("error_rows").getAsInt());
            assertTrue(row.get("mean_completion_tokens").getAsDouble() > 0);
            double kl = row.get("mean_kl_to_ref").getAsDouble();
            assertTrue(i == 0 ? kl == 0 : kl > previousKl, "KL at row " + i + ": " + kl);
            previousKl = kl;
            double reward = row.get("mean_reward").getAsDouble();
            assertTrue(row.get("reward_ci_low").getAsDouble() <= reward
                    && reward <= row.get("reward_ci_high").getAsDouble(), row.toString());
            assertTrue(row.get("kl_ci_low").getAsDouble() <= kl && kl <= row.get("kl_ci_high").getAsDouble());
            if (kl <= budget && reward > bestReward) {
                bestReward = reward;
                best = row.get("lambda").getAsDouble();
            }
        }
        assertEquals(best, summary.get("recommended_lambda").getAsDouble());
        assertTrue(summary.get("recommendation").getAsString().contains("highest mean reward"));

        BufferedImage png = ImageIO.read(report.resolve("frontier.png").toFile());
        assertTrue(png.getWidth() >= 600 && png.getHeight() >= 400);
        String page = Files.readString(report.resolve("report.html"));
        assertTrue(page.contains("<img") && page.contains("data:image/png;base64,"));
        assertTrue(page.contains("lambda = " + DemoCommand.LAMBDAS.split(",")[lambdaIndex(lambdas, best)]), page);
    }

    @Test
    void evaluatePrintsTheSameTable() throws IOException {
        Path again = dir.resolve("evaluated.json");
        assertEquals(0, DeraCli.commandLine().execute("evaluate", "--input",
                dir.resolve("demo").resolve("generations").toString(), "--reward", "sentiment", "--summary",
                again.toString()));
        JsonObject summary = read(dir.resolve("demo").resolve("report").resolve("summary.json")).getAsJsonObject();
        assertEquals(summary.getAsJsonArray("lambdas"), read(again));
    }

    @Test
    void aRewardColumnOfAJsonLinesCopyIsAveragedPerLambda() throws IOException {
        Path joined = dir.resolve("joined");
        Map<Double, double[]> expected = new TreeMap<>();
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate()) {
            List<Row> rows = spark.read().parquet(dir.resolve("demo").resolve("generations").toString())
                    .withColumn("length_reward", length(col("completion_text")).cast("double"))
                    .collectAsList();
            for (Row row : rows) {
                double[] sumAndCount = expected.computeIfAbsent(row.getAs("lambda"), l -> new double[2]);
                sumAndCount[0] += (double) row.getAs("length_reward");
                sumAndCount[1]++;
            }
            spark.read().parquet(dir.resolve("demo").resolve("generations").toString())
                    .withColumn("length_reward", length(col("completion_text")).cast("double"))
                    .write().json(joined.toString());
        }
        Path out = dir.resolve("column-report");
        assertEquals(0, DeraCli.commandLine().execute("report", "--input", joined.toString(), "--out",
                out.toString(), "--reward-column", "length_reward", "--kl-budget", "0.0000001", "--seed", "5"));

        JsonObject summary = read(out.resolve("summary.json")).getAsJsonObject();
        JsonArray lambdas = summary.getAsJsonArray("lambdas");
        assertEquals(expected.size(), lambdas.size());
        for (JsonElement element : lambdas) {
            JsonObject row = element.getAsJsonObject();
            double[] sumAndCount = expected.get(row.get("lambda").getAsDouble());
            assertEquals(sumAndCount[0] / sumAndCount[1], row.get("mean_reward").getAsDouble(), 1e-9);
        }
        assertEquals(0.0, summary.get("recommended_lambda").getAsDouble(), "only lambda 0 has KL 0");
    }

    @Test
    void aRewardModelScoresPromptAndCompletionOnTheExecutors() throws IOException {
        Path model = dir.resolve("reward-model");
        TinyRewardModel.write(model, 3);
        Path out = dir.resolve("model-report");
        Path generations = dir.resolve("demo").resolve("generations");
        assertEquals(0, DeraCli.commandLine().execute("report", "--input", generations.toString(), "--out",
                out.toString(), "--reward-model", model.toString(), "--kl-budget", "10"));

        Map<String, String> prompts = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("demo").resolve("prompts.jsonl"))) {
            JsonObject prompt = JsonParser.parseString(line).getAsJsonObject();
            prompts.put(prompt.get("prompt_id").getAsString(), prompt.get("prompt").getAsString());
        }
        Map<Double, double[]> expected = new TreeMap<>();
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
                RewardModel reward = RewardModel.load(model)) {
            for (Row row : spark.read().parquet(generations.toString()).collectAsList()) {
                double score = reward.scoreTexts(List.of(prompts.get(row.<String>getAs("prompt_id"))),
                        List.of(row.<String>getAs("completion_text")))[0];
                double[] sumAndCount = expected.computeIfAbsent(row.getAs("lambda"), l -> new double[2]);
                sumAndCount[0] += score;
                sumAndCount[1]++;
            }
        }
        JsonObject summary = read(out.resolve("summary.json")).getAsJsonObject();
        assertTrue(summary.get("reward").getAsString().startsWith("reward model "));
        for (JsonElement element : summary.getAsJsonArray("lambdas")) {
            JsonObject row = element.getAsJsonObject();
            double[] sumAndCount = expected.get(row.get("lambda").getAsDouble());
            assertEquals(sumAndCount[0] / sumAndCount[1], row.get("mean_reward").getAsDouble(), 1e-4);
        }
    }

    @Test
    void theAlignedModelAsARetrainedModelLandsExactlyOnTheLambdaOnePoint() throws IOException {
        Path out = dir.resolve("retrained-report");
        assertEquals(0, DeraCli.commandLine().execute("report", "--input",
                dir.resolve("demo").resolve("generations").toString(), "--out", out.toString(), "--retrained",
                "0.1=models/embedded/aligned"));

        JsonObject summary = read(out.resolve("summary.json")).getAsJsonObject();
        JsonObject retrained = summary.getAsJsonArray("retrained").get(0).getAsJsonObject();
        JsonObject lambdaOne = null;
        for (JsonElement row : summary.getAsJsonArray("lambdas")) {
            if (row.getAsJsonObject().get("lambda").getAsDouble() == 1.0) {
                lambdaOne = row.getAsJsonObject();
            }
        }
        assertEquals(0.1, retrained.get("beta").getAsDouble());
        for (String key : List.of("rows", "tokens", "mean_reward", "reward_ci_low", "mean_completion_tokens")) {
            assertEquals(lambdaOne.get(key).getAsDouble(), retrained.get(key).getAsDouble(), 1e-9, key);
        }
        double kl = lambdaOne.get("mean_kl_to_ref").getAsDouble();
        assertEquals(kl, retrained.get("mean_kl_to_ref").getAsDouble(), 1e-5 * kl, "KL, to float32 rounding");
        assertTrue(Files.readString(out.resolve("report.html")).contains("Retrained models"));
    }

    @Test
    void reportRefusesAFolderWithoutOutputANegativeBudgetAndAMalformedRetrainedList() {
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("report", "--input",
                dir.resolve("nothing").toString(), "--out", dir.resolve("r").toString()));
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("report", "--input",
                dir.resolve("demo").resolve("generations").toString(), "--out", dir.resolve("r").toString(),
                "--kl-budget", "-1"));
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("report", "--input",
                dir.resolve("demo").resolve("generations").toString(), "--out", dir.resolve("r").toString(),
                "--retrained", "0.1"));
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("report", "--input",
                dir.resolve("demo").resolve("generations").toString(), "--out", dir.resolve("r").toString(),
                "--reward-column", "no_such_reward"));
    }

    private static int lambdaIndex(JsonArray lambdas, double lambda) {
        for (int i = 0; i < lambdas.size(); i++) {
            if (lambdas.get(i).getAsJsonObject().get("lambda").getAsDouble() == lambda) {
                return i;
            }
        }
        throw new AssertionError("no lambda " + lambda);
    }

    private static JsonElement read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file));
    }
}
