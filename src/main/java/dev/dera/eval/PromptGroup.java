package dev.dera.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of one prompt at one lambda, summed over its samples: the unit that the per-lambda table averages and
 * that the bootstrap resamples. Sums are over the rows without error.
 *
 * @param rewardSum NaN when no reward was scored
 */
public record PromptGroup(double lambda, String promptId, long rows, long errorRows, long completionTokens,
        double rewardSum, double klSum) {

    /** The prompt id of a group that sums all prompts of a lambda. */
    public static final String ALL_PROMPTS = "*";

    /** Rows that decoded without error. */
    public long scoredRows() {
        return rows - errorRows;
    }

    /** Groups in-memory completions (all without error) by lambda and prompt, scoring each with {@code reward}. */
    public static List<PromptGroup> of(Collection<ScoredCompletion> completions, Reward reward) {
        Map<Key, List<ScoredCompletion>> groups =
                new TreeMap<>(Comparator.comparingDouble(Key::lambda).thenComparing(Key::promptId));
        for (ScoredCompletion completion : completions) {
            groups.computeIfAbsent(new Key(completion.lambda(), completion.promptId()), key -> new ArrayList<>())
                    .add(completion);
        }
        List<PromptGroup> result = new ArrayList<>(groups.size());
        groups.forEach((key, rows) -> result.add(new PromptGroup(key.lambda(), key.promptId(), rows.size(), 0,
                rows.stream().mapToLong(ScoredCompletion::completionTokens).sum(),
                rows.stream().mapToDouble(r -> reward.score(r.completionText())).sum(),
                rows.stream().mapToDouble(ScoredCompletion::klToRef).sum())));
        return result;
    }

    private record Key(double lambda, String promptId) {
    }
}
