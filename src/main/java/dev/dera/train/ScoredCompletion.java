package dev.dera.train;

import dev.dera.decode.DecodeResult;

/**
 * What the evaluation needs of one decoded row.
 *
 * @param klToRef the row's summed per-token KL(pi_lambda || pi_ref)
 */
public record ScoredCompletion(double lambda, String completionText, double klToRef, int completionTokens) {

    /** The fields of a decoder result. */
    public static ScoredCompletion of(DecodeResult result) {
        return new ScoredCompletion(result.lambda(), result.completionText(), result.klToRef(),
                result.completionIds().length);
    }
}
