package dev.dera.eval;

import java.io.Serializable;
import java.util.List;

/**
 * Scores completions in batches where the data lives (Spark executors): a built-in reward of the completion text, or
 * a reward model of prompt and completion. Serializable; anything heavy is loaded on first use in each JVM.
 */
public interface RewardScorer extends Serializable {

    /** What the rewards are, for reports. */
    String description();

    /** Whether {@link #score} reads the prompts (else they may be null). */
    boolean needsPrompts();

    /** The reward of {@code completions.get(i)} after {@code prompts.get(i)}, for every i. */
    double[] score(List<String> prompts, List<String> completions);

    /** A built-in reward ({@link Rewards#byName}) of the completion text alone. */
    static RewardScorer named(String name) {
        return new NamedRewardScorer(Rewards.byName(name));
    }

    /**
     * A Hugging Face sequence-classification reward model of prompt and completion ({@link RewardModel}), loaded
     * once per JVM. It is loaded here, on the driver, so that a bad model fails before any task.
     */
    static RewardScorer model(String modelDir) {
        RewardModelScorer scorer = new RewardModelScorer(modelDir);
        scorer.model();
        return scorer;
    }
}
