package dev.dera.decode;

import dev.dera.realign.SamplingParams;

/**
 * One prompt to decode with a run's {@link DecodeSettings}: at each lambda, {@code samples} times.
 *
 * @param promptId the prompt's unique id; part of every random draw's key
 * @param promptIds token ids of the prompt, BOS included where the tokenizer adds it
 * @param settings lambdas, samples, seed, sampling and stopping, validated already
 */
public record DecodeRequest(String promptId, int[] promptIds, DecodeSettings settings) {

    public DecodeRequest {
        if (promptId == null) {
            throw new IllegalArgumentException("prompt_id must not be null");
        }
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("prompt " + promptId + " has no tokens");
        }
        if (settings == null) {
            throw new IllegalArgumentException("prompt " + promptId + " has no decode settings");
        }
        promptIds = promptIds.clone();
    }

    /** Realignment strengths: 0 is the reference model, 1 the aligned one, above 1 extrapolates. */
    public double[] lambdas() {
        return settings.lambdas();
    }

    public int samples() {
        return settings.samples();
    }

    public SamplingParams sampling() {
        return settings.sampling();
    }

    public StopConditions stop() {
        return settings.stop();
    }

    /** The run seed, the other part of the random key. */
    public long seed() {
        return settings.seed();
    }

    /** Rows this request fans out to. */
    public int rowCount() {
        return settings.rowsPerPrompt();
    }
}
