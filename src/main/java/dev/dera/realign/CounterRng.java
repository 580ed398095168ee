package dev.dera.realign;

import java.util.Objects;

/**
 * Counter-based random numbers: a uniform draw is a pure function of its key (run seed, prompt id, lambda, sample
 * index, step), so a row's tokens never depend on batch composition, partitioning, threads or retries.
 *
 * <p>The algorithm is part of the determinism contract: changing any constant here changes every sampled token.
 */
public final class CounterRng {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long STRING_DOMAIN = 0x243f6a8885a308d3L;
    private static final long KEY_DOMAIN = 0x13198a2e03707344L;
    private static final double UNIT_53 = 0x1.0p-53;

    private CounterRng() {}

    /**
     * The uniform draw in [0, 1), with 53 random bits, for one key.
     *
     * @param seed the run seed
     * @param promptId the prompt's id, hashed by its UTF-16 code units
     * @param lambda the realignment strength, finite; -0.0 and 0.0 are the same key
     * @param sampleIndex which sample of this (prompt, lambda), {@code >= 0}
     * @param step the decoding step, {@code >= 0}
     */
    public static double uniform(long seed, String promptId, double lambda, int sampleIndex, int step) {
        Objects.requireNonNull(promptId, "promptId");
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite, got " + lambda);
        }
        if (sampleIndex < 0 || step < 0) {
            throw new IllegalArgumentException(
                    "sampleIndex and step must be >= 0, got sampleIndex=" + sampleIndex + ", step=" + step);
        }
        long lambdaBits = Double.doubleToLongBits(lambda + 0.0); // -0.0 + 0.0 == +0.0
        long counter = ((long) sampleIndex << 32) | (step & 0xffffffffL);
        long state = mix64(seed ^ KEY_DOMAIN);
        state = absorb(state, hash(promptId));
        state = absorb(state, lambdaBits);
        state = absorb(state, counter);
        return (state >>> 11) * UNIT_53;
    }

    /** A 64-bit hash of the string's UTF-16 code units, four per 64-bit word, with its length folded in. */
    static long hash(String text) {
        long state = mix64(STRING_DOMAIN ^ text.length());
        int length = text.length();
        for (int start = 0; start < length; start += 4) {
            long word = 0;
            for (int i = start; i < Math.min(start + 4, length); i++) {
                word |= (long) text.charAt(i) << (16 * (i - start));
            }
            state = absorb(state, word);
        }
        return state;
    }

    private static long absorb(long state, long value) {
        return mix64(state ^ mix64(value + GOLDEN_GAMMA));
    }

    /** The SplitMix64 finalizer: a bijection on 64-bit values with full avalanche. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
