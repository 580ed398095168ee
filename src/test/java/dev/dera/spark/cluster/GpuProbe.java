package dev.dera.spark.cluster;

import ai.djl.Device;
import dev.dera.lm.ModelConfigException;
import dev.dera.spark.TaskDevices;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * What one task of {@link GpuProbeApp} saw: the GPU addresses Spark gave it, the device {@link TaskDevices} maps
 * them to on a CUDA machine and what {@link TaskDevices#forTask()} chose on this one (or its error), and when it ran on which
 * executor. One tab-separated line per task.
 */
record GpuProbe(int partition, String executorId, List<String> addresses, String mappedDevice, String taskDevice,
        boolean cudaAvailable, long startMillis, long endMillis) {

    /** Probes the running task, holding its GPU for {@code holdMillis} so that tasks overlap. */
    static GpuProbe ofRunningTask(long holdMillis) throws InterruptedException {
        long start = System.currentTimeMillis();
        String[] addresses = TaskDevices.assignedGpus();
        Device mapped = TaskDevices.forAddresses(addresses, () -> Integer.MAX_VALUE, false);
        String chosen = taskDeviceOrError();
        Thread.sleep(holdMillis);
        return new GpuProbe(TaskContext.getPartitionId(), SparkEnv.get().executorId(), List.of(addresses),
                mapped.toString(), chosen, TaskDevices.cudaDeviceCount() > 0, start, System.currentTimeMillis());
    }

    /** What {@link TaskDevices#forTask()} chose, or "error: " and its message. */
    private static String taskDeviceOrError() {
        try {
            return TaskDevices.forTask().toString();
        } catch (ModelConfigException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Whether the two tasks ran on the same executor at the same time. */
    boolean overlaps(GpuProbe other) {
        return executorId.equals(other.executorId) && startMillis < other.endMillis && other.startMillis < endMillis;
    }

    String toLine() {
        return String.join("\t", Integer.toString(partition), executorId, String.join(",", addresses), mappedDevice,
                taskDevice, Boolean.toString(cudaAvailable), Long.toString(startMillis), Long.toString(endMillis));
    }

    static GpuProbe parse(String line) {
        String[] f = line.split("\t", -1);
        List<String> addresses = f[2].isEmpty() ? List.of() : Arrays.asList(f[2].split(","));
        return new GpuProbe(Integer.parseInt(f[0]), f[1], addresses, f[3], f[4], Boolean.parseBoolean(f[5]),
                Long.parseLong(f[6]), Long.parseLong(f[7]));
    }
}
