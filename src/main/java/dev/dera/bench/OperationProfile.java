package dev.dera.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntSupplier;

/**
 * Where a piece of decoding work spends its time, per step: in native operators by {@link OperationKind}, and
 * outside them (Java, JNI and DJL's bookkeeping between operators). From PyTorch's profiler, so every figure
 * includes its overhead of a few microseconds per operator: the shares are what to read, not the totals.
 *
 * @param model the model or pair measured
 * @param work what was run, e.g. "DeRa step, batch 32, greedy"
 * @param steps decode steps the work took
 * @param wallMillis the work's wall time under the profiler
 * @param operations top-level native operators it issued
 * @param nativeMillis time inside those operators, by kind
 */
record OperationProfile(String model, String work, int steps, double wallMillis, int operations,
        Map<OperationKind, Double> nativeMillis) {

    /** Profiles {@code body}, which returns the decode steps it took. */
    static OperationProfile measure(String model, String work, IntSupplier body) {
        int[] steps = new int[1];
        long[] nanos = new long[1];
        List<NativeOperations.Operation> operations = NativeOperations.record(() -> {
            long start = System.nanoTime();
            steps[0] = body.getAsInt();
            nanos[0] = System.nanoTime() - start;
        });
        Map<OperationKind, Double> millis = new EnumMap<>(OperationKind.class);
        for (OperationKind kind : OperationKind.values()) {
            millis.put(kind, 0.0);
        }
        for (NativeOperations.Operation operation : operations) {
            millis.merge(OperationKind.of(operation.name()), operation.micros() / 1e3, Double::sum);
        }
        return new OperationProfile(model, work, steps[0], nanos[0] / 1e6, operations.size(), millis);
    }

    /** Milliseconds per step in operators of {@code kind}. */
    double perStep(OperationKind kind) {
        return nativeMillis.get(kind) / steps;
    }

    /** Wall milliseconds per step. */
    double wallPerStep() {
        return wallMillis / steps;
    }

    /** Milliseconds per step outside native operators. */
    double outsidePerStep() {
        return wallPerStep() - nativeMillis.values().stream().mapToDouble(Double::doubleValue).sum() / steps;
    }

    /** The Markdown table's heading and separator lines. */
    static String markdownHeader() {
        StringJoiner heading = new StringJoiner(" | ", "| ", " |");
        heading.add("model").add("work").add("steps").add("operators per step").add("ms per step");
        for (OperationKind kind : OperationKind.values()) {
            heading.add(kind.heading());
        }
        heading.add("outside native operators");
        return heading + "\n|" + " --- |".repeat(6 + OperationKind.values().length);
    }

    /** A Markdown row: per-step milliseconds, each part with its share of the step. */
    String markdownRow() {
        StringJoiner row = new StringJoiner(" | ", "| ", " |");
        row.add(model).add(work).add(String.valueOf(steps)).add(String.valueOf(operations / steps))
                .add(String.format(Locale.ROOT, "%.2f", wallPerStep()));
        for (OperationKind kind : OperationKind.values()) {
            row.add(share(perStep(kind)));
        }
        return row.add(share(outsidePerStep())).toString();
    }

    private String share(double millis) {
        return String.format(Locale.ROOT, "%.2f (%.0f%%)", millis, 100 * millis / wallPerStep());
    }
}
