package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuDiscoveryScriptTest {
    @TempDir
    Path bin;

    @Test
    void fakeGpusOverrideEverything() {
        assertEquals(json("\"0\",\"1\""), discover(Map.of("DERA_FAKE_GPUS", "0,1", "CUDA_VISIBLE_DEVICES", "7")));
        assertEquals(json(""), discover(Map.of("DERA_FAKE_GPUS", "")));
    }

    @Test
    void cudaVisibleDevicesGiveTheOrdinalsCudaUses() {
        assertEquals(json("\"0\",\"1\""), discover(Map.of("CUDA_VISIBLE_DEVICES", "4,6")));
        assertEquals(json("\"0\""), discover(Map.of("CUDA_VISIBLE_DEVICES", "GPU-8a1e,-1,3")));
        assertEquals(json(""), discover(Map.of("CUDA_VISIBLE_DEVICES", "-1")));
    }

    @Test
    void nvidiaSmiListsTheMachinesGpus() {
        Scripts.writeExecutable(bin.resolve("nvidia-smi"),
                "[[ \"$*\" == '--query-gpu=index --format=csv,noheader' ]] || exit 9\nprintf '0\\n1\\n2\\n'\n");
        assertEquals(json("\"0\",\"1\",\"2\""), discover(Map.of("PATH", bin + ":/usr/bin:/bin")));
    }

    @Test
    void withoutAnySourceItFailsWithAMessage() {
        Scripts.Result result = run(Map.of("PATH", bin.toString()), List.of());
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("nvidia-smi"), result.stderr());
    }

    @Test
    void addressesThatAreNoIndicesAndArgumentsAreRejected() {
        assertEquals(1, run(Map.of("DERA_FAKE_GPUS", "0,x"), List.of()).exitCode());
        Scripts.Result usage = run(Map.of(), List.of("--gpus"));
        assertEquals(2, usage.exitCode());
        assertTrue(usage.stderr().startsWith("usage:"), usage.stderr());
    }

    private static String json(String addresses) {
        return "{\"name\":\"gpu\",\"addresses\":[" + addresses + "]}\n";
    }

    private static String discover(Map<String, String> env) {
        Scripts.Result result = run(env, List.of());
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout();
    }

    /** Runs the script with only the given GPU variables set. */
    private static Scripts.Result run(Map<String, String> env, List<String> args) {
        Map<String, String> clean = new HashMap<>();
        clean.put("DERA_FAKE_GPUS", null);
        clean.put("CUDA_VISIBLE_DEVICES", null);
        clean.putAll(env);
        return Scripts.run(Scripts.job("gpu-discovery.sh"), args, clean);
    }
}
