package dev.dera.eval;

import java.util.List;

/** A {@link Reward} of the completion text, as a {@link RewardScorer}. */
record NamedRewardScorer(Reward reward) implements RewardScorer {

    @Override
    public String description() {
        return reward.name();
    }

    @Override
    public boolean needsPrompts() {
        return false;
    }

    @Override
    public double[] score(List<String> prompts, List<String> completions) {
        return completions.stream().mapToDouble(reward::score).toArray();
    }
}
