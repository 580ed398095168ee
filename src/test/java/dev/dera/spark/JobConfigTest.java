package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    private static Map<String, String> required() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("model.ref", "/m/ref");
        values.put("model.aligned", "/m/aligned");
        values.put("input.path", "/data/prompts.jsonl");
        values.put("output.path", "/data/out");
        return values;
    }

    @Test
    void laterLayersOverrideEarlierOnesAndDefaultsFillTheRest() {
        JobConfig config = JobConfig.resolve(required(), Map.of("decode.lambdas", "0, 1.5", "sampling.top_p", "0.9"),
                Map.of("sampling.top_p", "0.8", "stop.strings", "[\"\\n\\n\", \"The end\"]"));
        assertArrayEquals(new double[] {0, 1.5}, config.decode().lambdas());
        assertEquals(0.8, config.decode().sampling().topP());
        assertEquals(List.of("\n\n", "The end"), config.decode().stopStrings());
        assertEquals("json", config.inputFormat());
        assertEquals(64, config.decode().maxNewTokens());
        assertEquals("local[*]", config.master());
    }

    @Test
    void keepColumnsAndRowsPerFileParse() {
        JobConfig config = JobConfig.resolve(required());
        assertEquals(java.util.Optional.empty(), config.keepColumns(), "* carries every input column");
        assertEquals(0, config.rowsPerFile());
        config = JobConfig.resolve(required(), Map.of("output.keep_columns", " source , label,",
                "output.rows_per_file", "1000"));
        assertEquals(List.of("source", "label"), config.keepColumns().orElseThrow());
        assertEquals(1000, config.rowsPerFile());
        assertEquals(List.of(), JobConfig.resolve(required(), Map.of("output.keep_columns", "")).keepColumns()
                .orElseThrow(), "empty carries none");
        assertFails(Map.of("output.rows_per_file", "-1"), "output.rows_per_file must be >= 0");
    }

    @Test
    void invalidValuesFailWithAMessageSayingWhatToFix() {
        assertFails(Map.of("sampling.top_p", "1.5"), "topP must be in (0, 1]"); // every decode check: DecodeSettingsTest
        assertFails(Map.of("model.dtype", "bf16"), "bfloat16 is not available");
        assertFails(Map.of("output.format", "csv"), "output.format must be one of parquet, json");
        assertFails(Map.of("prompt.truncate", "right"), "prompt.truncate must be one of error, left");
        assertFails(Map.of("errors.max_fraction", "2"), "errors.max_fraction must be in [0, 1]");
        assertFails(Map.of("input.path", "/data/prompts.csv"), "set input.format");
        assertFails(Map.of("batch.max_token", "5"), "unknown config key \"batch.max_token\"");
        assertFails(Map.of("model.ref", ""), "model.ref is not set (--ref-model");
    }

    @Test
    void lambdasAreComparedAsNumbersAndSettingsHaveOneCanonicalForm() {
        JobConfig written = JobConfig.resolve(required(), Map.of("decode.lambdas", "0,1", "sampling.top_p", "1",
                "decode.samples", " 2"));
        JobConfig parsed = JobConfig.resolve(required(), Map.of("decode.lambdas", "0.0, 1.0", "sampling.top_p", "1.0",
                "decode.samples", "2"));
        assertEquals(written.resultSettings(), parsed.resultSettings());
        // the manifest's result_settings: a resume compares them as text, so their form must not drift
        assertEquals("[0.0, 1.0]", written.resultSettings().get("decode.lambdas"));
        assertEquals("SamplingParams[temperature=0.0, topK=0, topP=1.0, minP=0.0]",
                written.resultSettings().get("sampling"));
        assertEquals("[\"x\"]", written.with("stop.strings", "[ \"x\" ]").resultSettings().get("stop.strings"));
        assertNotEquals(written.resultSettings(), written.with("decode.seed", "1").resultSettings());
    }

    @Test
    void absurdLimitsAndMastersAreRefusedWithTheReason() {
        assertFails(Map.of("job.chunks", "100001"), "job.chunks must be at most 100000");
        assertFails(Map.of("job.master", "bogus"), "is not a Spark master URL");
        assertFails(Map.of("job.master", "local[0]"), "is not a Spark master URL");
        for (String master : List.of("local", "local[4]", "local[*]", "local[2,4]", "spark://host:7077", "yarn",
                "k8s://https://host:443")) {
            assertEquals(master, JobConfig.resolve(required(), Map.of("job.master", master)).master());
        }
    }

    @Test
    void pathsBecomeAbsoluteThroughTheGivenResolver() {
        JobConfig config = JobConfig.resolve(required(), Map.of("model.ref", "models/ref"))
                .withAbsolutePaths(path -> path.startsWith("/") ? "file:" + path : "file:/work/" + path);
        assertEquals("file:/work/models/ref", config.refModel());
        assertEquals("file:/data/out", config.outputPath());
    }

    @Test
    void sparkKeysPassThroughToTheSession() {
        JobConfig config = JobConfig.resolve(required(), Map.of("spark.task.resource.gpu.amount", "1"));
        assertEquals(Map.of("spark.task.resource.gpu.amount", "1"), config.sparkConf());
    }

    @Test
    void theShippedConfFilesResolve() {
        JobConfig local = JobConfig.resolve(ConfFile.read(Path.of("conf/local.conf")), required());
        assertEquals("local[*]", local.master());
        JobConfig gpu = JobConfig.resolve(ConfFile.read(Path.of("conf/gpu-cluster.conf")), required());
        assertEquals("1", gpu.sparkConf().get("spark.task.resource.gpu.amount"));
        assertEquals(List.of("</s>", "<|user|>"), gpu.decode().stopStrings());
    }

    @Test
    void confLinesAreKeyEqualsValueWithComments() {
        assertEquals(Map.of("a.b", "x = y", "c", ""),
                ConfFile.parse(List.of("# comment", "", " a.b =  x = y ", "c="), "test"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfFile.parse(List.of("just words"), "f.conf"));
        assertTrue(e.getMessage().startsWith("f.conf:1:"), e.getMessage());
    }

    private static void assertFails(Map<String, String> override, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.resolve(required(), override));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
