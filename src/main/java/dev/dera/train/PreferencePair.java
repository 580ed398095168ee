package dev.dera.train;

/**
 * A prompt with a preferred (chosen) and a dispreferred (rejected) completion, as token ids; completions end with
 * the eos id when the model stopped on its own.
 */
public record PreferencePair(int[] promptIds, int[] chosenIds, int[] rejectedIds) {

    public PreferencePair {
        if (promptIds.length == 0 || chosenIds.length == 0 || rejectedIds.length == 0) {
            throw new IllegalArgumentException("prompt and both completions need at least one token");
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
