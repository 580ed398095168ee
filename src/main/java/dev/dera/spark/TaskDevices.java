package dev.dera.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL device a Spark task computes on: the GPU that Spark's resource scheduling assigned to the task
 * ({@code spark.task.resource.gpu.amount}), never a guessed GPU 0; the CPU when the task has no GPU, runs outside a
 * task, or the PyTorch engine has no CUDA.
 */
public final class TaskDevices {
    /** The resource name used in {@code spark.executor.resource.gpu.*} and by {@code jobs/gpu-discovery.sh}. */
    public static final String GPU_RESOURCE = "gpu";

    private static final Logger LOG = LoggerFactory.getLogger(TaskDevices.class);
    private static final AtomicBoolean WARNED_NO_CUDA = new AtomicBoolean();

    private TaskDevices() {}

    /** The device for the running task; {@link Device#cpu()} on the driver or without an assigned GPU. */
    public static Device forTask() {
        return forAddresses(assignedGpus(), TaskDevices::cudaAvailable);
    }

    /** The GPU addresses Spark assigned to the running task; empty outside a task or without GPU resources. */
    public static String[] assignedGpus() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return new String[0];
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpus = resources.get(GPU_RESOURCE);
        return gpus == null ? new String[0] : gpus.addresses();
    }

    /**
     * Maps assigned GPU addresses to a device: the first address as a CUDA ordinal, or the CPU when there is none.
     * {@code cudaAvailable} is asked only when a GPU was assigned; when it says no, the task falls back to the CPU
     * and a warning is logged once per JVM.
     *
     * @throws IllegalArgumentException when the address is not a GPU index (the discovery script must print indices)
     */
    public static Device forAddresses(String[] addresses, BooleanSupplier cudaAvailable) {
        if (addresses.length == 0) {
            return Device.cpu();
        }
        int index = gpuIndex(addresses[0]);
        if (!cudaAvailable.getAsBoolean()) {
            if (WARNED_NO_CUDA.compareAndSet(false, true)) {
                LOG.warn("Spark assigned GPU {} but the PyTorch engine has no CUDA: computing on the CPU. Install the"
                        + " CUDA libtorch on the executors (docs/CLUSTER.md).", addresses[0]);
            }
            return Device.cpu();
        }
        return Device.gpu(index);
    }

    /** Whether DJL's default engine (PyTorch) sees at least one CUDA device. Loads the engine. */
    public static boolean cudaAvailable() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    private static int gpuIndex(String address) {
        String trimmed = address.trim();
        if (!trimmed.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("GPU address \"" + address + "\" is not a GPU index: the GPU discovery"
                    + " script must print CUDA device indices such as \"0\" (jobs/gpu-discovery.sh does)");
        }
        return Integer.parseInt(trimmed);
    }
}
