package dev.dera.train;

/**
 * A prompt with a preferred (chosen) and a dispreferred (rejected) completion, as token ids; completions end with
 * the eos id when the model stopped on its own.
 *
 * @param rewardMargin reward of the chosen minus reward of the rejected completion, positive
 */
public record PreferencePair(int[] promptIds, int[] chosenIds, int[] rejectedIds, double rewardMargin) {

    public PreferencePair {
        if (promptIds.length == 0 || chosenIds.length == 0 || rejectedIds.length == 0) {
            throw new IllegalArgumentException("prompt and both completions need at least one token");
        }
        if (!(rewardMargin > 0) || Double.isInfinite(rewardMargin)) {
            throw new IllegalArgumentException("the chosen completion must score higher, got margin " + rewardMargin);
        }
        promptIds = promptIds.clone();
        chosenIds = chosenIds.clone();
        rejectedIds = rejectedIds.clone();
    }

    ScoredSequence chosen() {
        return ScoredSequence.completion(promptIds, chosenIds);
    }

    ScoredSequence rejected() {
        return ScoredSequence.completion(promptIds, rejectedIds);
    }
}
