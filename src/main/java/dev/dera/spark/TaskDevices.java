package dev.dera.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.dera.lm.ModelConfigException;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The DJL device a Spark task computes on: the GPU that Spark's resource scheduling assigned to the task
 * ({@code spark.task.resource.gpu.amount}), never a guessed GPU 0; the CPU when the task has no GPU or runs outside
 * a task. A GPU that PyTorch cannot use fails the task with one line, unless {@value #CPU_FALLBACK} is true: a
 * GPU job never silently decodes on the CPU.
 */
public final class TaskDevices {
    /** The resource name used in {@code spark.executor.resource.gpu.*} and by {@code jobs/gpu-discovery.sh}. */
    public static final String GPU_RESOURCE = "gpu";
    /** The Spark setting that lets a task assigned a GPU decode on the CPU when PyTorch has no CUDA device. */
    public static final String CPU_FALLBACK = "spark.dera.device.cpuFallback";

    private TaskDevices() {}

    /** The device for the running task; {@link Device#cpu()} on the driver or without an assigned GPU. */
    public static Device forTask() {
        SparkEnv env = SparkEnv.get();
        boolean fallback = env != null && cpuFallback(env.conf().get(CPU_FALLBACK, "false"));
        return forAddresses(assignedGpus(), TaskDevices::cudaDeviceCount, fallback);
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
     * {@code cudaDevices} is asked only when a GPU was assigned.
     *
     * @param cpuFallback whether a GPU that PyTorch does not see means the CPU instead of an error
     * @throws IllegalArgumentException when the address is not a GPU index (the discovery script must print indices)
     * @throws ModelConfigException when PyTorch does not see the assigned GPU and {@code cpuFallback} is false
     */
    public static Device forAddresses(String[] addresses, IntSupplier cudaDevices, boolean cpuFallback) {
        if (addresses.length == 0) {
            return Device.cpu();
        }
        int index = gpuIndex(addresses[0]);
        String missing = missingGpu(index, cudaDevices.getAsInt());
        if (missing == null) {
            return Device.gpu(index);
        }
        if (cpuFallback) {
            return Device.cpu();
        }
        throw new ModelConfigException("task assigned GPU " + index + " but " + missing + "; set " + CPU_FALLBACK
                + "=true to decode on the CPU instead");
    }

    /**
     * The device a user named, checked against the CUDA devices PyTorch sees: a GPU that is not there fails with one
     * line naming it and the cause.
     */
    public static Device checked(Device device, IntSupplier cudaDevices) {
        if (!device.isGpu()) {
            return device;
        }
        String missing = missingGpu(device.getDeviceId(), cudaDevices.getAsInt());
        if (missing != null) {
            throw new ModelConfigException("device gpu:" + device.getDeviceId() + " was asked for but " + missing);
        }
        return device;
    }

    /** How many CUDA devices DJL's default engine (PyTorch) sees. Loads the engine. */
    public static int cudaDeviceCount() {
        return Engine.getInstance().getGpuCount();
    }

    /** Whether DJL's default engine (PyTorch) sees at least one CUDA device. Loads the engine. */
    public static boolean cudaAvailable() {
        return cudaDeviceCount() > 0;
    }

    /** Parses a {@value #CPU_FALLBACK} value: true or false, nothing else. */
    public static boolean cpuFallback(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw new IllegalArgumentException(CPU_FALLBACK + " must be true or false, got \"" + value + "\"");
        }
        return lower.equals("true");
    }

    /** Why CUDA device {@code index} cannot be used when PyTorch sees {@code count} devices; null when it can. */
    private static String missingGpu(int index, int count) {
        if (count == 0) {
            return "PyTorch reports no CUDA device (CPU-only libtorch? GPU executors need the -Pcuda build,"
                    + " docs/CLUSTER.md)";
        }
        if (index >= count) {
            return "PyTorch reports only " + count + " CUDA device" + (count == 1 ? "" : "s") + " (0.." + (count - 1)
                    + ")";
        }
        return null;
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
