package dev.dera.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;

/**
 * Gives PyTorch's CPU operations the cores Spark gives a task ({@code spark.task.cpus}, 1 by default). An
 * executor runs one task per core at a time, and PyTorch's default of one thread per core in every task would
 * oversubscribe the cores: on a 2-core machine two tasks of two threads each ran several times slower.
 */
final class TorchThreads {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private TorchThreads() {}

    /** Once per JVM, inside a CPU task: set PyTorch's intra-op threads to the task's CPUs. */
    static void matchTaskCpus(Device device) {
        TaskContext task = TaskContext.get();
        if (task == null || !Device.Type.CPU.equals(device.getDeviceType()) || !SET.compareAndSet(false, true)) {
            return;
        }
        Engine.getInstance();
        JniUtils.setNumThreads(Math.max(1, task.cpus()));
    }
}
