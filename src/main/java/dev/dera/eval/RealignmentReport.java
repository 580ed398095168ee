package dev.dera.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dera.eval.LambdaTable.LambdaRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The realignment report of one output: the per-lambda table with bootstrap intervals, models retrained at other
 * betas on the same footing, the KL budget and the lambda it recommends. Written as {@code summary.json},
 * {@code frontier.png} and a self-contained {@code report.html}.
 *
 * @param reward what the rewards are
 * @param retrained models aligned at other strengths, decoded at lambda 1 against the same reference
 */
public record RealignmentReport(String input, String reward, Bootstrap bootstrap, Optional<Double> klBudget,
        List<LambdaRow> lambdas, List<Retrained> retrained) {

    /** File names written by {@link #write}. */
    public static final String SUMMARY = "summary.json";
    public static final String FRONTIER = "frontier.png";
    public static final String PAGE = "report.html";

    /** A model aligned at {@code beta}, decoded at lambda 1 against the reference: its row of the table. */
    public record Retrained(double beta, String model, LambdaRow row) {
    }

    /** The recommendation that follows from the table. */
    public Recommendation recommendation() {
        return Recommendation.choose(lambdas, klBudget);
    }

    /** Writes the three files into {@code dir} (created when absent). */
    public void write(Path dir) {
        byte[] chart = FrontierChart.png(reward, lambdas.stream()
                        .map(row -> new FrontierChart.Point("\u03bb=" + LambdaTable.trim(row.lambda()), row)).toList(),
                retrained.stream().map(r -> new FrontierChart.Point("\u03b2=" + LambdaTable.trim(r.beta()), r.row()))
                        .toList(),
                klBudget, recommendation().lambda());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(SUMMARY), new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                    .toJson(toJson()) + "\n", StandardCharsets.UTF_8);
            Files.write(dir.resolve(FRONTIER), chart);
            Files.writeString(dir.resolve(PAGE), ReportPage.html(this, chart), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
    }

    /** The content of summary.json. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("input", input);
        json.addProperty("reward", reward);
        JsonObject resampling = new JsonObject();
        resampling.addProperty("unit", "prompt_id");
        resampling.addProperty("resamples", bootstrap.resamples());
        resampling.addProperty("confidence", bootstrap.confidence());
        resampling.addProperty("seed", bootstrap.seed());
        json.add("bootstrap", resampling);
        json.add("lambdas", LambdaTable.toJson(lambdas));
        if (!retrained.isEmpty()) {
            JsonArray models = new JsonArray();
            JsonArray rows = LambdaTable.toJson(retrained.stream().map(Retrained::row).toList());
            for (int i = 0; i < retrained.size(); i++) {
                JsonObject line = rows.get(i).getAsJsonObject();
                line.addProperty("beta", retrained.get(i).beta());
                line.addProperty("model", retrained.get(i).model());
                models.add(line);
            }
            json.add("retrained", models);
        }
        json.addProperty("kl_budget", klBudget.orElse(null));
        Recommendation recommendation = recommendation();
        json.addProperty("recommended_lambda",
                recommendation.lambda().isPresent() ? recommendation.lambda().getAsDouble() : null);
        json.addProperty("recommendation", recommendation.reason());
        return json;
    }
}
