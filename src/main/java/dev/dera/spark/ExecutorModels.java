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
        Key key = new Key(settings.refModel(), settings.alignedModel(), device, settings.computeType());
        return PAIRS.computeIfAbsent(key, k -> ModelPair.load(
                ModelFiles.localize(k.refModel(), settings.hadoopConf()),
                ModelFiles.localize(k.alignedModel(), settings.hadoopConf()),
                k.device(), k.computeType()));
    }

    private static void closeAll() {
        PAIRS.values().forEach(ModelPair::close);
        PAIRS.clear();
    }
}
