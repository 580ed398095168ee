package dev.dera.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a training phase's progress (step, smoothed loss, tokens per second) every few seconds and at the last
 * step, and sums up the phase when it ends.
 */
public final class ProgressLog {

    private static final long INTERVAL_NANOS = 3_000_000_000L;
    private static final double SMOOTHING = 0.9;

    private final String phase;
    private final int totalSteps;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private long tokensSincePrint;
    private long tokens;
    private double smoothedLoss = Double.NaN;
    private int steps;

    public ProgressLog(String phase, int totalSteps, PrintStream out) {
        this.phase = phase;
        this.totalSteps = totalSteps;
        this.out = out;
    }

    /** Records one step that processed {@code stepTokens} tokens with loss {@code loss}. */
    public void step(double loss, long stepTokens) {
        steps++;
        tokens += stepTokens;
        tokensSincePrint += stepTokens;
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : SMOOTHING * smoothedLoss + (1 - SMOOTHING) * loss;
        long now = System.nanoTime();
        if (now - lastPrint >= INTERVAL_NANOS || steps == totalSteps) {
            double seconds = (now - lastPrint) / 1e9;
            out.printf(Locale.ROOT, "%s step %d/%d loss %.4f %.0f tokens/s%n", phase, steps, totalSteps,
                    smoothedLoss, tokensSincePrint / Math.max(seconds, 1e-9));
            lastPrint = now;
            tokensSincePrint = 0;
        }
    }

    /** What the phase did so far. */
    public PhaseResult result() {
        return new PhaseResult(phase, steps, tokens, (System.nanoTime() - start) / 1e9, smoothedLoss);
    }

    /**
     * A finished training phase.
     *
     * @param finalLoss the exponentially smoothed loss of the last steps
     */
    public record PhaseResult(String phase, int steps, long tokens, double seconds, double finalLoss) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d steps, %d tokens in %.1f s, final loss %.4f", phase, steps,
                    tokens, seconds, finalLoss);
        }
    }
}
