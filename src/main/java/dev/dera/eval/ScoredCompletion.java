package dev.dera.eval;

import dev.dera.decode.DecodeResult;

/**
 * What the evaluation needs of one decoded row.
 *
 * @param klToRef the row's summed per-token KL(pi_lambda || pi_ref)
 */
public record ScoredCompletion(String promptId, double lambda, String completionText, double klToRef,
        int completionTokens) {

    /** The fields of a decoder result. */
    public static ScoredCompletion of(DecodeResult result) {
        return new ScoredCompletion(result.promptId(), result.lambda(), result.completionText(), result.klToRef(),
                result.completionIds().length);
    }
}
