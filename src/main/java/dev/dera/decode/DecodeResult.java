package dev.dera.decode;

/**
 * One decoded row: a (prompt, lambda, sample) with its tokens and per-token log-probabilities.
 *
 * @param tokenLogprobs log-probability of each token under pi_lambda at temperature 1, unfiltered
 * @param klToRef sum over generated positions of the exact KL(pi_lambda || pi_ref)
 * @param finishReason "stop", "length" or "error"
 * @param error what went wrong for an error row, else null
 */
public record DecodeResult(
        String promptId,
        double lambda,
        int sampleIndex,
        int promptTokenCount,
        int[] completionIds,
        String completionText,
        String finishReason,
        String error,
        float[] tokenLogprobs,
        float[] refTokenLogprobs,
        float[] alignedTokenLogprobs,
        double klToRef) {

    public double sumLogprob() {
        return sum(tokenLogprobs);
    }

    public double refSumLogprob() {
        return sum(refTokenLogprobs);
    }

    public double alignedSumLogprob() {
        return sum(alignedTokenLogprobs);
    }

    private static double sum(float[] values) {
        double total = 0;
        for (float v : values) {
            total += v;
        }
        return total;
    }
}
