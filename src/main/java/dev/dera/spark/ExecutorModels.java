package dev.dera.spark;

import ai.djl.Device;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor JVM's model pairs: each (reference, aligned, device, dtype) is loaded once, shared by every task
 * that runs in this JVM, and closed by a shutdown hook. Tasks hold no models of their own.
 */
final class ExecutorModels {
    private record Key(String refModel, String alignedModel, Device device, ComputeType computeType) {}

    private static final Map<Key, ModelPair> PAIRS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "dera-close-models"));
    }

    private ExecutorModels() {}

    /** The loaded pair for these settings on {@code device}, loading (and copying, when remote) on first use. */
    static ModelPair get(TaskSettings settings, Device device) {
        TorchThreads.matchTaskCpus(device);
        return PAIRS.computeIfAbsent(key(settings, device), k -> ModelPair.load(
                ModelFiles.localize(k.refModel(), settings.hadoopConf()),
                ModelFiles.localize(k.alignedModel(), settings.hadoopConf()),
                k.device(), k.computeType()));
    }

    /** Whether this JVM holds the loaded pair for these settings on {@code device} (a load in progress is not held). */
    static boolean holds(TaskSettings settings, Device device) {
        return PAIRS.containsKey(key(settings, device));
    }

    /**
     * Starts loading the CPU pair for {@code settings} on a background thread, for a driver that is also its own
     * executor (local mode): the driver's checks and staging then overlap the load, and the first tasks find the
     * pair loaded (or wait for the load in progress) instead of loading a second copy. A load that fails is left to
     * the tasks, which load again and report the error as they do without this.
     */
    static void preloadInBackground(TaskSettings settings) {
        Thread loader = new Thread(() -> {
            try {
                get(settings, Device.cpu());
            } catch (RuntimeException reportedByTheTasks) {
                // the first task's own load fails the same way and reports it
            }
        }, "dera-preload-models");
        loader.setDaemon(true);
        loader.start();
    }

    private static Key key(TaskSettings settings, Device device) {
        return new Key(settings.refModel(), settings.alignedModel(), device, settings.computeType());
    }

    private static void closeAll() {
        PAIRS.values().forEach(ModelPair::close);
        PAIRS.clear();
    }
}
