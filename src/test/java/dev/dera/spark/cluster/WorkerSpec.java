package dev.dera.spark.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * How to start one Worker of a {@link StandaloneCluster}: its cores and memory (what it offers to executors, not
 * what it uses), Spark properties for the Worker JVM ({@code spark.worker.*}) and extra environment variables, which
 * its executors inherit.
 */
public record WorkerSpec(int cores, String memory, Map<String, String> conf, Map<String, String> env) {
    public WorkerSpec {
        conf = Map.copyOf(conf);
        env = Map.copyOf(env);
    }

    /** One core and 1 GiB: room for one small executor. */
    public static WorkerSpec small() {
        return new WorkerSpec(1, "1g", Map.of(), Map.of());
    }

    public WorkerSpec withCores(int newCores) {
        return new WorkerSpec(newCores, memory, conf, env);
    }

    public WorkerSpec withConf(String key, String value) {
        return new WorkerSpec(cores, memory, plus(conf, key, value), env);
    }

    public WorkerSpec withEnv(String key, String value) {
        return new WorkerSpec(cores, memory, conf, plus(env, key, value));
    }

    /**
     * GPUs the Worker offers, found by {@code jobs/gpu-discovery.sh} with {@code DERA_FAKE_GPUS}: the addresses are
     * scheduled exactly as real ones, although no device is behind them.
     */
    public WorkerSpec withFakeGpus(String... addresses) {
        return withConf("spark.worker.resource.gpu.amount", Integer.toString(addresses.length))
                .withConf("spark.worker.resource.gpu.discoveryScript",
                        ProjectPaths.jobs().resolve("gpu-discovery.sh").toString())
                .withEnv("DERA_FAKE_GPUS", String.join(",", addresses));
    }

    private static Map<String, String> plus(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
