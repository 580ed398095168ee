package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;

/**
 * A folder where each task attempt of a test application leaves a marker file {@code partition-attempt} holding its
 * executor's working folder, which lies in the work folder of the Worker that runs it ({@code .../worker-N/...}).
 * Tests watch it to act while tasks run.
 */
final class TaskMarkers {
    private final Path folder;

    TaskMarkers(Path folder) {
        this.folder = folder;
    }

    /** Called inside a task: marks that this attempt started. */
    static void markStarted(Path folder) throws IOException {
        TaskContext task = TaskContext.get();
        Files.writeString(folder.resolve(task.partitionId() + "-" + task.attemptNumber()),
                System.getProperty("user.dir"));
    }

    /** Whether a task attempt started on the Worker started {@code index}-th. */
    boolean anyOnWorker(int index) {
        return all().stream().anyMatch(marker -> read(marker).contains("/worker-" + index + "/"));
    }

    /** Whether some task ran more than once. */
    boolean anyRetried() {
        return all().stream().anyMatch(marker -> !marker.getFileName().toString().endsWith("-0"));
    }

    /** Waits up to 90 s until {@code condition} holds, failing early when the application ends first. */
    void await(Predicate<TaskMarkers> condition, String what, Submission submission) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.test(this)) {
            assertTrue(submission.isRunning(), "the job ended before " + what + ":\n" + submission.log());
            assertTrue(System.nanoTime() < deadline, "not within 90 s: " + what);
            Thread.sleep(100);
        }
    }

    List<Path> all() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return all().stream().map(marker -> marker.getFileName() + ": " + read(marker)).toList().toString();
    }

    private static String read(Path marker) {
        try {
            return Files.readString(marker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
