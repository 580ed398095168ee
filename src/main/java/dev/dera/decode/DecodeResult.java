package dev.dera.decode;

import java.util.ArrayList;
import java.util.List;

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

    /** One error row per (lambda, sample) of a prompt that cannot decode, so that every key still appears once. */
    public static List<DecodeResult> errors(String promptId, double[] lambdas, int samples, int promptTokenCount,
            String message) {
        List<DecodeResult> rows = new ArrayList<>(lambdas.length * samples);
        for (double lambda : lambdas) {
            for (int sample = 0; sample < samples; sample++) {
                rows.add(new DecodeResult(promptId, lambda, sample, promptTokenCount, new int[0], "", DecodeRow.ERROR,
                        message, new float[0], new float[0], new float[0], 0));
            }
        }
        return rows;
    }

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
