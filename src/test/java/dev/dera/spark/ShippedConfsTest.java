package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.lm.ComputeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every conf file the project ships resolves through JobConfig, and the GPU ones name what the project ships. */
class ShippedConfsTest {
    /** What a conf file leaves to the command line: the input and the output. */
    private static final Map<String, String> RUN = Map.of("input.path", "prompts.jsonl", "output.path", "out");

    @Test
    void everyShippedConfResolves() throws IOException {
        List<Path> confs = shippedConfs();
        assertTrue(confs.size() >= 3, "local, gpu-cluster and zephyr at least: " + confs);
        for (Path conf : confs) {
            JobConfig config = JobConfig.resolve(ConfFile.read(conf), RUN);
            assertFalse(config.refModel().isEmpty() || config.alignedModel().isEmpty(), conf.toString());
        }
    }

    @Test
    void gpuConfsUseTheShippedDiscoveryScriptAndHalfPrecision() throws IOException {
        for (Path conf : shippedConfs()) {
            Map<String, String> values = ConfFile.read(conf);
            String script = values.get("spark.executor.resource.gpu.discoveryScript");
            if (script == null) {
                continue;
            }
            assertEquals("./gpu-discovery.sh", script, conf + ": the script jobs/dera-submit ships with --files");
            assertTrue(Files.isExecutable(Path.of("jobs", "gpu-discovery.sh")));
            assertEquals(ComputeType.FLOAT16, JobConfig.resolve(values, RUN).computeType(), conf.toString());
        }
    }

    @Test
    void zephyrIsDerasChatPair() {
        JobConfig zephyr = JobConfig.resolve(ConfFile.read(Path.of("conf", "zephyr.conf")), RUN);
        assertTrue(zephyr.refModel().endsWith("/mistral-7b-sft-beta"), zephyr.refModel());
        assertTrue(zephyr.alignedModel().endsWith("/zephyr-7b-beta"), zephyr.alignedModel());
        List<Double> lambdas = Arrays.stream(zephyr.decode().lambdas()).boxed().toList();
        assertTrue(lambdas.containsAll(List.of(0.0, 1.0, 10.0)),
                "the reference, the aligned model and the paper's strongest realignment: " + lambdas);
        assertEquals(ComputeType.FLOAT16, zephyr.computeType());
    }

    @Test
    void theCpuFallbackSettingIsCheckedOnTheDriver() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.resolve(ConfFile.read(Path.of("conf", "gpu-cluster.conf")), RUN,
                        Map.of(TaskDevices.CPU_FALLBACK, "yes")));
        assertTrue(error.getMessage().startsWith(TaskDevices.CPU_FALLBACK + " must be true or false"),
                error.getMessage());
    }

    private static List<Path> shippedConfs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("conf"))) {
            return files.filter(file -> file.toString().endsWith(".conf")).sorted().toList();
        }
    }
}
