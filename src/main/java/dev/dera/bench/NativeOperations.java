package dev.dera.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts the native operations that a piece of work issues, with PyTorch's profiler (DJL's {@code JniUtils}
 * start/stop profile): the top-level ATen operators of the trace, those not nested inside another (aten::matmul
 * counts once, not again for the aten::mm it calls). Each is an operator the engine dispatches for Java: most
 * NDArray calls issue one (a JNI call, a new NDArray and, on a GPU, a kernel launch unless it is a view), an
 * indexing call one per indexed axis. Counts depend on the code and the shapes, not on the load.
 */
final class NativeOperations {
    private NativeOperations() {}

    /** Top-level operators that {@code body} issues on this thread. */
    static int count(Runnable body) {
        try {
            Path trace = Files.createTempFile("dera-operations", ".json");
            try {
                JniUtils.startProfile(false, false, false);
                try {
                    body.run();
                } finally {
                    JniUtils.stopProfile(trace.toString());
                }
                return topLevel(events(trace));
            } finally {
                Files.deleteIfExists(trace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write or read the profiler trace", e);
        }
    }

    /** The complete ("X") events of a Chrome trace file, as [thread, start, duration]. */
    private static List<double[]> events(Path trace) throws IOException {
        List<double[]> events = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(trace)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                JsonObject event = element.getAsJsonObject();
                if ("X".equals(event.get("ph").getAsString())) {
                    events.add(new double[] {event.get("tid").getAsDouble(), event.get("ts").getAsDouble(),
                            event.get("dur").getAsDouble()});
                }
            }
        }
        return events;
    }

    /** Events that start after the previous top-level event on their thread has ended. */
    private static int topLevel(List<double[]> events) {
        events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> e[1])
                .thenComparingDouble(e -> -e[2]));
        int count = 0;
        double thread = Double.NaN;
        double end = Double.NEGATIVE_INFINITY;
        for (double[] event : events) {
            if (event[0] != thread || event[1] >= end) {
                count++;
                thread = event[0];
                end = event[1] + event[2];
            }
        }
        return count;
    }
}
