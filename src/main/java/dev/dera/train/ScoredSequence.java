package dev.dera.train;

/**
 * Token ids of one training sequence and the index of its first scored token: the model is scored on predicting
 * {@code ids[scoredFrom..]} from what precedes each of them (1 for language modelling, where only BOS is given;
 * the prompt length for preference training, where only the completion counts).
 */
public record ScoredSequence(int[] ids, int scoredFrom) {

    public ScoredSequence {
        if (scoredFrom < 1 || scoredFrom > ids.length) {
            throw new IllegalArgumentException(
                    "scoredFrom must be in [1, " + ids.length + "], got " + scoredFrom);
        }
        ids = ids.clone();
    }

    /** The prompt followed by the completion, scored on the completion only. */
    public static ScoredSequence completion(int[] promptIds, int[] completionIds) {
        int[] ids = new int[promptIds.length + completionIds.length];
        System.arraycopy(promptIds, 0, ids, 0, promptIds.length);
        System.arraycopy(completionIds, 0, ids, promptIds.length, completionIds.length);
        return new ScoredSequence(ids, promptIds.length);
    }

    /** Number of scored tokens. */
    public int scoredTokens() {
        return ids.length - scoredFrom;
    }
}
