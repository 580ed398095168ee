package dev.dera.bench;

import java.util.Arrays;

/** Wall-clock timing: warm-up runs, then the median of measured runs. */
final class Timing {
    private Timing() {}

    /** Median seconds of {@code runs} executions after {@code warmups} unmeasured ones. */
    static double medianSeconds(int warmups, int runs, Runnable body) {
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[runs / 2];
    }
}
