package dev.dera.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The native operations that a piece of work issues, with PyTorch's profiler (DJL's {@code JniUtils} start/stop
 * profile): the top-level ATen operators of the trace, those not nested inside another (aten::matmul counts once,
 * not again for the aten::mm it calls). Each is an operator the engine dispatches for Java: most NDArray calls
 * issue one (a JNI call, a new NDArray and, on a GPU, a kernel launch unless it is a view), an indexing call one
 * per indexed axis. Counts depend on the code and the shapes, not on the load; durations do.
 */
final class NativeOperations {
    /** One top-level operator: its ATen name and how long it ran, profiler overhead included. */
    record Operation(String name, double micros) {}

    private NativeOperations() {}

    /** How many top-level operators {@code body} issues on this thread. */
    static int count(Runnable body) {
        return record(body).size();
    }

    /** The top-level operators {@code body} issues, in order of start on each thread. */
    static List<Operation> record(Runnable body) {
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

    /** A complete ("X") event of a Chrome trace. */
    private record Event(String name, double thread, double start, double duration) {}

    /** The complete events of a Chrome trace file, read as a stream (a long run's trace has millions). */
    private static List<Event> events(Path trace) throws IOException {
        List<Event> events = new ArrayList<>();
        try (Reader file = Files.newBufferedReader(trace); JsonReader reader = new JsonReader(file)) {
            reader.beginArray();
            while (reader.hasNext()) {
                Event event = event(reader);
                if (event != null) {
                    events.add(event);
                }
            }
            reader.endArray();
        }
        return events;
    }

    /** The next trace object as an event, or null when it is not a complete event. */
    private static Event event(JsonReader reader) throws IOException {
        String name = null;
        String phase = null;
        double thread = 0;
        double start = 0;
        double duration = 0;
        reader.beginObject();
        while (reader.hasNext()) {
            switch (reader.nextName()) {
                case "name" -> name = reader.nextString();
                case "ph" -> phase = reader.nextString();
                case "tid" -> thread = reader.nextDouble();
                case "ts" -> start = reader.nextDouble();
                case "dur" -> duration = reader.nextDouble();
                default -> reader.skipValue();
            }
        }
        reader.endObject();
        return "X".equals(phase) ? new Event(name, thread, start, duration) : null;
    }

    /** Events that start after the previous top-level event on their thread has ended. */
    private static List<Operation> topLevel(List<Event> events) {
        events.sort(Comparator.comparingDouble(Event::thread).thenComparingDouble(Event::start)
                .thenComparingDouble(e -> -e.duration()));
        List<Operation> operations = new ArrayList<>();
        double thread = Double.NaN;
        double end = Double.NEGATIVE_INFINITY;
        for (Event event : events) {
            if (event.thread() != thread || event.start() >= end) {
                operations.add(new Operation(event.name(), event.duration()));
                thread = event.thread();
                end = event.start() + event.duration();
            }
        }
        return operations;
    }
}
