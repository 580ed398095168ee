package dev.dera.decode;

import dev.dera.realign.SamplingParams;

/**
 * One prompt to decode at several realignment strengths, {@code samples} times each.
 *
 * @param promptId the prompt's unique id; part of every random draw's key
 * @param promptIds token ids of the prompt, BOS included where the tokenizer adds it
 * @param lambdas realignment strengths: 0 is the reference model, 1 the aligned one, above 1 extrapolates
 * @param seed the run seed, the other part of the random key
 */
public record DecodeRequest(String promptId, int[] promptIds, double[] lambdas, int samples,
        SamplingParams sampling, StopConditions stop, long seed) {

    public DecodeRequest {
        if (promptId == null) {
            throw new IllegalArgumentException("prompt_id must not be null");
        }
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("prompt " + promptId + " has no tokens");
        }
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("at least one lambda is needed");
        }
        for (double lambda : lambdas) {
            if (!Double.isFinite(lambda)) {
                throw new IllegalArgumentException("lambda must be finite, got " + lambda);
            }
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        promptIds = promptIds.clone();
        lambdas = lambdas.clone();
    }

    /** Rows this request fans out to. */
    public int rowCount() {
        return lambdas.length * samples;
    }
}
