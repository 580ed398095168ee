package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A Worker dies in the middle of a job: the job still completes and writes every key exactly once. */
class WorkerLossClusterIT {
    private static final int KEYS = 20;
    private static final int PARTITIONS = 4;

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    @TempDir
    Path work;

    @Test
    void losingAWorkerMidJobNeitherLosesNorDuplicatesKeys() throws Exception {
        StandaloneCluster cluster = clusters.start(WorkerSpec.small(), WorkerSpec.small());
        Path output = work.resolve("keys");
        Path markerFolder = Files.createDirectories(work.resolve("markers"));
        TaskMarkers markers = new TaskMarkers(markerFolder);
        Submission submission = cluster.submit(SparkApplication.ofTestApp(KeyedOutputApp.class, work.resolve("app.jar"))
                .withArgs(output.toString(), markerFolder.toString(), Integer.toString(KEYS),
                        Integer.toString(PARTITIONS), "3000"));

        // Both executors inside a task: killing worker 0 now loses a running task.
        markers.await(m -> m.anyOnWorker(0) && m.anyOnWorker(1), "both workers ran a task", submission);
        cluster.killWorker(0);
        assertEquals(0, submission.awaitExit(Duration.ofMinutes(2)), submission.log());

        List<String> expected = IntStream.range(0, KEYS).mapToObj(id -> "key-" + id).sorted().toList();
        assertEquals(expected, writtenKeys(output).stream().sorted().toList());
        assertTrue(markers.anyRetried(), "no task ran a second time, so worker 0 died after its task: " + markers);
    }

    private static List<String> writtenKeys(Path output) throws IOException {
        assertTrue(Files.exists(output.resolve("_SUCCESS")), "the job did not commit its output");
        try (Stream<Path> parts = Files.list(output)) {
            return parts.filter(part -> part.getFileName().toString().startsWith("part-"))
                    .flatMap(WorkerLossClusterIT::lines)
                    .collect(Collectors.toList());
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
