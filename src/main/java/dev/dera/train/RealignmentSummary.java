package dev.dera.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-lambda table of a DeRa sweep: for each lambda, the number of rows, the mean reward of the completions,
 * the mean sequence KL to the reference and the mean completion length in tokens; written as {@code summary.json}.
 */
public final class RealignmentSummary {

    /** One row of the table. */
    public record LambdaRow(double lambda, int rows, double meanReward, double meanKlToRef,
            double meanCompletionTokens) {
    }

    private RealignmentSummary() {
    }

    /** The table, one row per distinct lambda in increasing order. */
    public static List<LambdaRow> summarize(Collection<ScoredCompletion> completions, Reward reward) {
        Map<Double, List<ScoredCompletion>> byLambda = new TreeMap<>();
        for (ScoredCompletion completion : completions) {
            byLambda.computeIfAbsent(completion.lambda(), lambda -> new ArrayList<>()).add(completion);
        }
        List<LambdaRow> table = new ArrayList<>();
        byLambda.forEach((lambda, rows) -> table.add(new LambdaRow(lambda, rows.size(),
                rows.stream().mapToDouble(r -> reward.score(r.completionText())).average().orElseThrow(),
                rows.stream().mapToDouble(ScoredCompletion::klToRef).average().orElseThrow(),
                rows.stream().mapToInt(ScoredCompletion::completionTokens).average().orElseThrow())));
        return table;
    }

    /**
     * Writes the table as a JSON list of objects with {@code lambda}, {@code rows}, {@code mean_reward},
     * {@code mean_kl_to_ref} and {@code mean_completion_tokens}.
     */
    /** The table as aligned text columns, one line per lambda. */
    public static String format(List<LambdaRow> table) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%8s %6s %12s %14s %12s%n", "lambda", "rows",
                "mean_reward", "mean_kl_to_ref", "mean_tokens"));
        for (LambdaRow row : table) {
            text.append(String.format(Locale.ROOT, "%8.3f %6d %12.4f %14.4f %12.2f%n", row.lambda(), row.rows(),
                    row.meanReward(), row.meanKlToRef(), row.meanCompletionTokens()));
        }
        return text.toString();
    }

    public static void writeJson(List<LambdaRow> table, Path file) {
        JsonArray json = new JsonArray();
        for (LambdaRow row : table) {
            JsonObject object = new JsonObject();
            object.addProperty("lambda", row.lambda());
            object.addProperty("rows", row.rows());
            object.addProperty("mean_reward", row.meanReward());
            object.addProperty("mean_kl_to_ref", row.meanKlToRef());
            object.addProperty("mean_completion_tokens", row.meanCompletionTokens());
            json.add(object);
        }
        try {
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
