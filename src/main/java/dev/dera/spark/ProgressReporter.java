package dev.dera.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Driver thread that prints a progress line every few seconds: rows done of total, tokens/s, error rows and an
 * ETA, from the tasks' accumulators (which advance as tasks finish).
 */
final class ProgressReporter implements AutoCloseable {
    private final DecodeCounters counters;
    private final long totalRows;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dera-progress");
        thread.setDaemon(true);
        return thread;
    });

    ProgressReporter(DecodeCounters counters, long totalRows, int periodSeconds, PrintStream out) {
        this.counters = counters;
        this.totalRows = totalRows;
        this.out = out;
        timer.scheduleAtFixedRate(this::print, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    void print() {
        out.println(line(counters.rows(), counters.tokens(), counters.errors(),
                (System.nanoTime() - started) / 1e9));
    }

    String line(long rows, long tokens, long errors, double seconds) {
        double percent = totalRows == 0 ? 100 : 100.0 * rows / totalRows;
        String eta = rows == 0 ? "?" : formatSeconds(seconds * (totalRows - rows) / rows);
        return String.format(Locale.ROOT, "dera: %d/%d rows (%.1f%%), %.1f tokens/s, %d errors, ETA %s",
                rows, totalRows, percent, seconds > 0 ? tokens / seconds : 0, errors, eta);
    }

    private static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
