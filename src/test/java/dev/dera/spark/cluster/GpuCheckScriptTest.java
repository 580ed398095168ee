package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code jobs/gpu-check} where it can run here: its usage, and its one-line refusal on a machine without a GPU. */
class GpuCheckScriptTest {

    @Test
    void withoutAGpuItRefusesWithOneLineAndPointsAtTheDryRun() {
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).noneMatch(dir -> Files.exists(Path.of(dir,
                "nvidia-smi"))), "this machine has nvidia-smi");
        Scripts.Result result = Scripts.run(Scripts.job("gpu-check"), List.of("--quick"), Map.of());
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(List.of("gpu-check: no NVIDIA GPU here (nvidia-smi is not on PATH); --device cpu runs a dry run"
                + " on the CPU"), result.stderr().lines().toList());
    }

    @Test
    void badOptionsAreUsageErrors() {
        Scripts.Result device = Scripts.run(Scripts.job("gpu-check"), List.of("--device", "tpu"), Map.of());
        assertEquals(2, device.exitCode(), device.stderr());
        assertTrue(device.stderr().startsWith("gpu-check: --device must be cpu or gpu:N"), device.stderr());
        Scripts.Result dtypes = Scripts.run(Scripts.job("gpu-check"), List.of("--dtypes", "bfloat16"), Map.of());
        assertEquals(2, dtypes.exitCode(), dtypes.stderr());
    }
}
