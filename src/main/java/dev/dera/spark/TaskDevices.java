package dev.dera.spark;

import ai.djl.Device;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a Spark task decodes on: the first GPU address Spark assigned to the task (resource "gpu"), else the
 * CPU. Never GPU 0 by default: without an assignment the task runs on the CPU.
 */
public final class TaskDevices {
    static final String GPU_RESOURCE = "gpu";

    private TaskDevices() {}

    /** The device of the running task (the CPU outside a task). */
    public static Device current() {
        TaskContext task = TaskContext.get();
        return task == null ? Device.cpu() : fromResources(task.resourcesJMap());
    }

    /** Pure mapping from a task's resources to a device. */
    public static Device fromResources(Map<String, ResourceInformation> resources) {
        ResourceInformation gpus = resources == null ? null : resources.get(GPU_RESOURCE);
        return fromGpuAddresses(gpus == null ? new String[0] : gpus.addresses());
    }

    /** The first address as a GPU index, or the CPU when there is none. */
    public static Device fromGpuAddresses(String[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return Device.cpu();
        }
        try {
            return Device.gpu(Integer.parseInt(addresses[0].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address \"" + addresses[0]
                    + "\", which is not a GPU index; the GPU discovery script must report indices such as \"1\"", e);
        }
    }
}
