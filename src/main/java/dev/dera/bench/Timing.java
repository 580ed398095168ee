package dev.dera.bench;

import java.util.Arrays;

/** Wall-clock timing: warm-up runs, then medians of measured runs. */
final class Timing {
    private Timing() {}

    /** Median seconds of {@code runs} executions after {@code warmups} unmeasured ones. */
    static double medianSeconds(int warmups, int runs, Runnable body) {
        return medianSeconds(warmups, runs, body, () -> { })[0];
    }

    /**
     * Median seconds of two bodies timed in alternation, so that drift of a shared machine (JIT, caches, neighbours)
     * weighs on both alike: {@code [median of a, median of b]}.
     */
    static double[] medianSeconds(int warmups, int runs, Runnable a, Runnable b) {
        for (int i = 0; i < warmups; i++) {
            a.run();
            b.run();
        }
        double[] secondsA = new double[runs];
        double[] secondsB = new double[runs];
        for (int i = 0; i < runs; i++) {
            secondsA[i] = seconds(a);
            secondsB[i] = seconds(b);
        }
        return new double[] {median(secondsA), median(secondsB)};
    }

    private static double seconds(Runnable body) {
        long start = System.nanoTime();
        body.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
