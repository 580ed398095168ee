package dev.dera.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a benchmark's timings depend on besides the code: the cores, PyTorch's intra-op threads and the load. With
 * other work on the machine, an operator split over two threads waits for the one that is not scheduled, so a
 * loaded machine's timings say little.
 */
final class MachineLoad {
    private MachineLoad() {}

    /** E.g. "2 cores, PyTorch on 2 intra-op threads, load average 0.41". */
    static String describe() {
        Engine.getEngine("PyTorch");
        return String.format(Locale.ROOT, "%d cores, PyTorch on %d intra-op threads, %s",
                Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads(), loadAverage());
    }

    /** The one-minute load average, or that the system does not report it. */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "no load average reported" : String.format(Locale.ROOT, "load average %.2f", load);
    }
}
