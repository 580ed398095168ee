package dev.dera.realign;

/** Pearson's chi-square goodness of fit, for the statistical tests. */
final class ChiSquare {

    /** The standard normal's 0.999 quantile. */
    private static final double NORMAL_QUANTILE_999 = 3.090232306;

    private ChiSquare() {}

    /** The statistic of observed counts against expected probabilities, over the bins with probability > 0. */
    static double statistic(long[] counts, double[] probabilities) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        double statistic = 0;
        for (int i = 0; i < counts.length; i++) {
            if (probabilities[i] > 0) {
                double expected = total * probabilities[i];
                statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        return statistic;
    }

    /** The 0.999 quantile for {@code df} degrees of freedom (Wilson-Hilferty; a little high for small df). */
    static double quantile999(int df) {
        double a = 2.0 / (9.0 * df);
        double cube = 1 - a + NORMAL_QUANTILE_999 * Math.sqrt(a);
        return df * cube * cube * cube;
    }
}
