package dev.dera.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded percentile bootstrap over prompts: each resample draws as many prompts as there are, with replacement,
 * and recomputes the row-weighted means from the drawn prompts' sums. Every statistic of one call sees the same
 * draws, and a call with the same prompts in the same order gives the same interval.
 *
 * @param resamples number of resamples
 * @param confidence coverage of the interval, e.g. 0.95
 */
public record Bootstrap(int resamples, double confidence, long seed) {

    /** 1,000 resamples, 95% intervals. */
    public static Bootstrap standard(long seed) {
        return new Bootstrap(1000, 0.95, seed);
    }

    public Bootstrap {
        if (resamples < 2 || !(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 resamples and a confidence in (0, 1), got "
                    + resamples + " and " + confidence);
        }
    }

    /** A closed interval. */
    public record Interval(double low, double high) {
    }

    /**
     * For each statistic k, the interval of {@code sum(sums[k][drawn]) / sum(weights[drawn])}.
     *
     * @param weights per prompt, positive (the rows a prompt contributes)
     * @param sums per statistic, per prompt
     */
    public Interval[] ratioIntervals(double[] weights, double[]... sums) {
        int prompts = weights.length;
        double[][] statistics = new double[sums.length][resamples];
        SplittableRandom random = new SplittableRandom(seed);
        double[] drawnSums = new double[sums.length];
        for (int b = 0; b < resamples; b++) {
            double drawnWeight = 0;
            Arrays.fill(drawnSums, 0);
            for (int i = 0; i < prompts; i++) {
                int prompt = random.nextInt(prompts);
                drawnWeight += weights[prompt];
                for (int k = 0; k < sums.length; k++) {
                    drawnSums[k] += sums[k][prompt];
                }
            }
            for (int k = 0; k < sums.length; k++) {
                statistics[k][b] = drawnSums[k] / drawnWeight;
            }
        }
        Interval[] intervals = new Interval[sums.length];
        double tail = (1 - confidence) / 2;
        for (int k = 0; k < sums.length; k++) {
            Arrays.sort(statistics[k]);
            intervals[k] = new Interval(quantile(statistics[k], tail), quantile(statistics[k], 1 - tail));
        }
        return intervals;
    }

    /** Linear interpolation between the order statistics around {@code q * (n - 1)}. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
