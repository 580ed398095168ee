package dev.dera.realign;

import java.io.Serializable;

/**
 * How one decoding row draws its next token from the mixed logits.
 *
 * @param temperature divides the logits before the softmax; {@code 0} means greedy argmax, otherwise {@code > 0}
 * @param topK keep only the {@code topK} most probable tokens; {@code 0} turns the filter off
 * @param topP keep the smallest set of most probable tokens whose probability reaches {@code topP}, in (0, 1];
 *     {@code 1} turns the filter off
 * @param minP keep only tokens whose probability is at least {@code minP} times the largest one, in [0, 1);
 *     {@code 0} turns the filter off
 */
public record SamplingParams(double temperature, int topK, double topP, double minP) implements Serializable {

    /** Checks every value and names the bad one with its valid range. */
    public SamplingParams {
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException(
                    "temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!Double.isFinite(topP) || topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        if (!Double.isFinite(minP) || minP < 0 || minP >= 1) {
            throw new IllegalArgumentException("minP must be in [0, 1) (0 = off), got " + minP);
        }
    }

    /** Greedy decoding: always the most probable token, no filtering. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0);
    }

    /** Whether this row takes the argmax instead of drawing. */
    public boolean isGreedy() {
        return temperature == 0;
    }
}
