package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Spark's GPU scheduling on a real standalone cluster with two fake GPUs, seen from the tasks. */
class GpuAssignmentClusterIT {
    private static final int TASKS = 6;

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    @TempDir
    Path work;

    @Test
    void everyTaskGetsItsOwnGpuAndTaskDevicesMapsIt() throws Exception {
        StandaloneCluster cluster = clusters.start(WorkerSpec.small().withCores(2).withFakeGpus("0", "1"));
        assertEquals(List.of("0", "1"), cluster.workerState(0).resources().get("gpu").addresses(),
                "the Worker's GPUs, as jobs/gpu-discovery.sh reported them");

        Path output = work.resolve("probes.tsv");
        Submission submission = cluster.submit(SparkApplication.ofTestApp(GpuProbeApp.class, work.resolve("app.jar"))
                .withArgs(output.toString(), Integer.toString(TASKS), "1500")
                .withConf("spark.executor.cores", "2")
                .withConf("spark.executor.resource.gpu.amount", "2")
                .withConf("spark.task.resource.gpu.amount", "1")
                // as jobs/dera-submit sets it; standalone executors get their GPUs from the Worker instead
                .withConf("spark.executor.resource.gpu.discoveryScript", "./gpu-discovery.sh")
                .withConf("spark.files", ProjectPaths.jobs().resolve("gpu-discovery.sh").toString()));
        assertEquals(0, submission.awaitExit(Duration.ofMinutes(2)), submission.log());

        List<GpuProbe> probes = Files.readAllLines(output).stream().map(GpuProbe::parse).toList();
        assertEquals(TASKS, probes.size());
        for (GpuProbe probe : probes) {
            assertEquals(1, probe.addresses().size(), probe.toString());
            String address = probe.addresses().get(0);
            assertTrue(Set.of("0", "1").contains(address), probe.toString());
            Device gpu = Device.gpu(Integer.parseInt(address));
            assertEquals(gpu.toString(), probe.mappedDevice(), probe.toString());
            String expected = probe.cudaAvailable() ? gpu.toString()
                    : "error: task assigned GPU " + address + " but PyTorch reports no CUDA device";
            assertTrue(probe.taskDevice().startsWith(expected),
                    "forTask() uses the assigned GPU, or fails where PyTorch has no CUDA: " + probe);
        }
        assertConcurrentTasksHoldDifferentGpus(probes);
    }

    private static void assertConcurrentTasksHoldDifferentGpus(List<GpuProbe> probes) {
        int overlapping = 0;
        for (int i = 0; i < probes.size(); i++) {
            for (int j = i + 1; j < probes.size(); j++) {
                if (probes.get(i).overlaps(probes.get(j))) {
                    overlapping++;
                    assertNotEquals(probes.get(i).addresses(), probes.get(j).addresses(),
                            "tasks running together share a GPU: " + probes.get(i) + " and " + probes.get(j));
                }
            }
        }
        assertTrue(overlapping > 0, "no two tasks ran at the same time, so GPU sharing was not tested: " + probes);
    }
}
