package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: closing a cluster in the middle of a job leaves no process and no folder behind. */
class StandaloneClusterIT {
    @TempDir
    Path work;

    @Test
    void closeKillsDriverExecutorsWorkersAndMasterAndDeletesTheFolder() throws Exception {
        List<ProcessHandle> started;
        Path directory;
        try (StandaloneCluster cluster = StandaloneCluster.start(WorkerSpec.small())) {
            directory = cluster.directory();
            Path markers = Files.createDirectories(work.resolve("markers"));
            Submission submission = cluster.submit(SparkApplication.ofTestApp(KeyedOutputApp.class, work.resolve("app.jar"))
                    .withArgs(work.resolve("keys").toString(), markers.toString(), "2", "2", "600000"));
            new TaskMarkers(markers).await(m -> !m.all().isEmpty(), "a task started", submission);
            started = cluster.processes();
            // at least: a JVM may also have a short-lived child of its own at this moment (a shell Hadoop runs)
            assertTrue(started.size() >= 4, "master, worker, executor and driver should run: " + started);
        }
        assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "still running: " + started);
        assertFalse(Files.exists(directory), directory + " was not deleted");
    }
}
