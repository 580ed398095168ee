package dev.dera.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.dera.eval.Bootstrap.Interval;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The one per-lambda table of a DeRa sweep, built from {@link PromptGroup}s: rows and error rows, and over the rows
 * without error the mean reward, mean sequence KL to the reference and mean completion length, optionally with
 * bootstrap intervals over prompts. The job's end-of-run table (no reward, no intervals) and {@code dera report}'s
 * summary.json are both this table.
 */
public final class LambdaTable {

    /**
     * One row of the table.
     *
     * @param tokens completion tokens of all rows
     * @param meanReward NaN when no reward was scored or no row decoded
     * @param rewardInterval null without a bootstrap or a reward
     * @param klInterval null without a bootstrap
     */
    public record LambdaRow(double lambda, long rows, long errorRows, long tokens, double meanReward,
            Interval rewardInterval, double meanKlToRef, Interval klInterval, double meanCompletionTokens) {
    }

    private LambdaTable() {
    }

    /** The table, one row per lambda in increasing order; intervals only when {@code bootstrap} is given. */
    public static List<LambdaRow> summarize(Collection<PromptGroup> groups, Optional<Bootstrap> bootstrap) {
        Map<Double, List<PromptGroup>> byLambda = new TreeMap<>();
        for (PromptGroup group : groups) {
            byLambda.computeIfAbsent(group.lambda(), lambda -> new ArrayList<>()).add(group);
        }
        List<LambdaRow> table = new ArrayList<>(byLambda.size());
        byLambda.forEach((lambda, prompts) -> table.add(row(lambda, prompts, bootstrap)));
        return table;
    }

    /** The table of in-memory completions (all without error), each scored with {@code reward}; no intervals. */
    public static List<LambdaRow> of(Collection<ScoredCompletion> completions, Reward reward) {
        return summarize(PromptGroup.of(completions, reward), Optional.empty());
    }

    private static LambdaRow row(double lambda, List<PromptGroup> prompts, Optional<Bootstrap> bootstrap) {
        long rows = prompts.stream().mapToLong(PromptGroup::rows).sum();
        long errorRows = prompts.stream().mapToLong(PromptGroup::errorRows).sum();
        long tokens = prompts.stream().mapToLong(PromptGroup::completionTokens).sum();
        List<PromptGroup> scored = prompts.stream().filter(p -> p.scoredRows() > 0)
                .sorted((a, b) -> a.promptId().compareTo(b.promptId())).toList();
        double scoredRows = rows - errorRows;
        double meanReward = scored.stream().mapToDouble(PromptGroup::rewardSum).sum() / scoredRows;
        double meanKl = scored.stream().mapToDouble(PromptGroup::klSum).sum() / scoredRows;
        Interval rewardInterval = null;
        Interval klInterval = null;
        if (bootstrap.isPresent() && !scored.isEmpty()) {
            Interval[] intervals = bootstrap.get().ratioIntervals(
                    scored.stream().mapToDouble(PromptGroup::scoredRows).toArray(),
                    scored.stream().mapToDouble(PromptGroup::rewardSum).toArray(),
                    scored.stream().mapToDouble(PromptGroup::klSum).toArray());
            rewardInterval = Double.isNaN(meanReward) ? null : intervals[0];
            klInterval = intervals[1];
        }
        return new LambdaRow(lambda, rows, errorRows, tokens, meanReward, rewardInterval, meanKl, klInterval,
                tokens / scoredRows);
    }

    /**
     * The table as JSON objects with {@code lambda, rows, error_rows, tokens, mean_reward, reward_ci_low,
     * reward_ci_high, mean_kl_to_ref, kl_ci_low, kl_ci_high, mean_completion_tokens}; null where a value is absent.
     */
    public static JsonArray toJson(List<LambdaRow> table) {
        JsonArray json = new JsonArray();
        for (LambdaRow row : table) {
            JsonObject line = new JsonObject();
            line.addProperty("lambda", row.lambda());
            line.addProperty("rows", row.rows());
            line.addProperty("error_rows", row.errorRows());
            line.addProperty("tokens", row.tokens());
            line.add("mean_reward", number(row.meanReward()));
            line.add("reward_ci_low", bound(row.rewardInterval(), Interval::low));
            line.add("reward_ci_high", bound(row.rewardInterval(), Interval::high));
            line.add("mean_kl_to_ref", number(row.meanKlToRef()));
            line.add("kl_ci_low", bound(row.klInterval(), Interval::low));
            line.add("kl_ci_high", bound(row.klInterval(), Interval::high));
            line.add("mean_completion_tokens", number(row.meanCompletionTokens()));
            json.add(line);
        }
        return json;
    }

    /** Reads back what {@link #toJson} wrote (and the older manifests' {@code errors} for {@code error_rows}). */
    public static List<LambdaRow> fromJson(JsonArray json) {
        List<LambdaRow> table = new ArrayList<>(json.size());
        for (JsonElement element : json) {
            JsonObject line = element.getAsJsonObject();
            table.add(new LambdaRow(line.get("lambda").getAsDouble(), line.get("rows").getAsLong(),
                    (line.has("error_rows") ? line.get("error_rows") : line.get("errors")).getAsLong(),
                    line.get("tokens").getAsLong(), value(line, "mean_reward"),
                    interval(line, "reward_ci_low", "reward_ci_high"), value(line, "mean_kl_to_ref"),
                    interval(line, "kl_ci_low", "kl_ci_high"), value(line, "mean_completion_tokens")));
        }
        return table;
    }

    /** The table as aligned text columns, one line per lambda; a reward column only when there is a reward. */
    public static String format(List<LambdaRow> table) {
        boolean rewards = table.stream().anyMatch(row -> !Double.isNaN(row.meanReward()));
        String intervals = table.stream().anyMatch(row -> row.klInterval() != null) ? " [95% CI]" : "";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%8s %8s %7s", "lambda", "rows", "errors"));
        if (rewards) {
            text.append(String.format(Locale.ROOT, " %28s", "mean reward" + intervals));
        }
        text.append(String.format(Locale.ROOT, " %30s %12s%n", "mean KL to ref" + intervals, "mean tokens"));
        for (LambdaRow row : table) {
            text.append(String.format(Locale.ROOT, "%8s %8d %7d", trim(row.lambda()), row.rows(), row.errorRows()));
            if (rewards) {
                text.append(String.format(Locale.ROOT, " %28s", withInterval(row.meanReward(), row.rewardInterval())));
            }
            text.append(String.format(Locale.ROOT, " %30s %12s%n", withInterval(row.meanKlToRef(), row.klInterval()),
                    fixed(row.meanCompletionTokens(), 2)));
        }
        return text.toString();
    }

    /** A lambda as written on the command line: 0.5, 1, 2. */
    public static String trim(double lambda) {
        return lambda == Math.rint(lambda) && Math.abs(lambda) < 1e15
                ? Long.toString((long) lambda) : Double.toString(lambda);
    }

    /** A mean with its interval, "-" for an absent mean. */
    static String withInterval(double mean, Interval interval) {
        String text = fixed(mean, 4);
        return interval == null ? text
                : text + String.format(Locale.ROOT, " [%s, %s]", fixed(interval.low(), 4), fixed(interval.high(), 4));
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static JsonElement number(double value) {
        return Double.isNaN(value) ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }

    private static JsonElement bound(Interval interval, ToDoubleFunction<Interval> side) {
        return interval == null ? JsonNull.INSTANCE : number(side.applyAsDouble(interval));
    }

    private static double value(JsonObject line, String field) {
        JsonElement value = line.get(field);
        return value == null || value.isJsonNull() ? Double.NaN : value.getAsDouble();
    }

    private static Interval interval(JsonObject line, String low, String high) {
        double lowValue = value(line, low);
        return Double.isNaN(lowValue) ? null : new Interval(lowValue, value(line, high));
    }
}
