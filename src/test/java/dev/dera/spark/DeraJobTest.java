package dev.dera.spark;

import static dev.dera.spark.GenerationOutputs.assertSameRows;
import static dev.dera.spark.GenerationOutputs.key;
import static dev.dera.spark.GenerationOutputs.promptLine;
import static dev.dera.spark.GenerationOutputs.rowsByKey;
import static dev.dera.spark.GenerationOutputs.storyPrompts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dera generate end to end on local[2] with the stories260K pair. */
class DeraJobTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("DeraJobTest")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void greedyRowsEqualTheIndependentVectorsAndTheSchemaFile() throws IOException {
        List<DeraVector> vectors = SharedModels.greedyVectors().stream()
                .filter(v -> !v.prompt.isEmpty()) // the job turns empty prompts into error rows
                .collect(Collectors.toList());
        List<String> prompts = vectors.stream().map(v -> v.prompt).distinct().collect(Collectors.toList());
        String lambdas = vectors.stream().map(v -> String.valueOf(v.lambda)).distinct()
                .collect(Collectors.joining(","));
        int maxNewTokens = vectors.stream().mapToInt(v -> v.max_new_tokens).max().orElseThrow();
        Path input = writeJsonl("prompts.jsonl", IntStream.range(0, prompts.size())
                .mapToObj(i -> promptLine("p" + i, prompts.get(i))).collect(Collectors.toList()));
        Path out = dir.resolve("out");

        JsonObject manifest = run(config(input, out, Map.of("decode.lambdas", lambdas,
                "decode.max_new_tokens", String.valueOf(maxNewTokens))), false);

        Map<String, Row> rows = rowsByKey(spark, out);
        for (DeraVector v : vectors) {
            Row row = rows.get(key("p" + prompts.indexOf(v.prompt), v.lambda, 0));
            int n = v.completion_ids.length;
            int[] ids = ints(row.getList(row.fieldIndex("completion_ids")));
            assertArrayEquals(v.completion_ids, java.util.Arrays.copyOf(ids, Math.min(n, ids.length)), v.toString());
            assertPrefixClose(v.token_logprobs, row.getList(row.fieldIndex("token_logprobs")), v + " token_logprobs");
            assertPrefixClose(v.ref_token_logprobs, row.getList(row.fieldIndex("ref_token_logprobs")), v + " ref");
            assertPrefixClose(v.aligned_token_logprobs, row.getList(row.fieldIndex("aligned_token_logprobs")),
                    v + " aligned");
            assertEquals(v.prompt_ids.length, (int) row.getAs("prompt_token_count"));
            if (n == maxNewTokens) {
                assertEquals(v.kl_to_ref, (double) row.getAs("kl_to_ref"), 1e-3, v + " kl_to_ref");
                assertEquals(v.completion_text, row.getAs("completion_text"));
            }
        }
        assertEquals(prompts.size() * lambdas.split(",").length, rows.size());
        DataType schemaFile = DataType.fromJson(Files.readString(Path.of("data-schemas/generations.json")));
        assertEquals(schemaFile, spark.read().parquet(out.toString()).schema());
        assertEquals(Schemas.GENERATIONS, schemaFile);
        assertEquals(Schemas.PROMPTS, DataType.fromJson(Files.readString(Path.of("data-schemas/prompts.json"))));
        assertEquals("complete", manifest.get("status").getAsString());
        assertEquals(rows.size(), manifest.getAsJsonObject("counts").get("rows").getAsLong());
        assertTrue(manifest.getAsJsonObject("models").getAsJsonObject("aligned").getAsJsonObject("weights_sha256")
                .has("model.safetensors"));
        assertFalse(Files.exists(out.resolve("_dera")), "work folders are removed once published");
    }

    @Test
    void sampledRowsDoNotDependOnPartitionsOrBatchSize() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(10));
        Map<String, String> sampled = Map.of("sampling.temperature", "1", "decode.samples", "3",
                "decode.lambdas", "0,1.5", "decode.max_new_tokens", "12", "decode.seed", "7");
        Map<String, Row> one = rowsAfter(input, "one", sampled, Map.of("job.partitions", "1",
                "batch.max_prompts", "64", "job.chunks", "1"));
        Map<String, Row> four = rowsAfter(input, "four", sampled, Map.of("job.partitions", "4",
                "batch.max_prompts", "2", "job.chunks", "3"));
        assertEquals(10 * 2 * 3, one.size());
        assertSameRows(one, four);
        assertTrue(one.values().stream().map(r -> r.getList(r.fieldIndex("completion_ids"))).distinct().count() > 30,
                "sampling at T = 1 gives varied completions");
    }

    @Test
    void resumeAfterACrashCompletesWithEveryKeyOnceAndTheSameValues() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(12));
        Map<String, String> sampled = Map.of("sampling.temperature", "1", "decode.samples", "2",
                "decode.lambdas", "0,1", "decode.max_new_tokens", "10", "job.chunks", "4");
        Path out = dir.resolve("crashed");
        JobConfig config = config(input, out, sampled);
        List<Integer> committed = new ArrayList<>();
        RuntimeException crash = assertThrows(RuntimeException.class,
                () -> new DeraJob(spark, config, quiet()).run(false, chunk -> {
                    committed.add(chunk);
                    if (committed.size() == 2) {
                        throw new RuntimeException("simulated crash");
                    }
                }));
        assertEquals("simulated crash", crash.getMessage());
        assertTrue(Files.exists(out.resolve("_dera/generations/chunk=" + committed.get(0))));
        assertThrows(IllegalArgumentException.class, () -> run(config, false), "an existing output needs --resume");
        assertThrows(IllegalArgumentException.class, () -> run(config.with("decode.seed", "9"), true),
                "resuming with other settings fails");

        List<Integer> resumed = new ArrayList<>();
        new DeraJob(spark, config, quiet()).run(true, resumed::add);
        assertFalse(resumed.stream().anyMatch(committed::contains), "committed chunks are not decoded again");

        List<Row> all = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(12 * 2 * 2, all.size());
        assertEquals(all.size(), all.stream().map(GenerationOutputs::key).distinct().count(), "every key exactly once");
        assertSameRows(rowsAfter(input, "uninterrupted", sampled, Map.of()), rowsByKey(spark, out));
        assertEquals("complete", run(config, true).get("status").getAsString(), "resuming a complete run is a no-op");
    }

    @Test
    void badRowsBecomeErrorRowsAndNothingValidIsLost() throws IOException {
        String overLong = "Once upon a time there was a dog. ".repeat(80);
        Path input = writeJsonl("bad.jsonl", List.of(
                promptLine("ok1", "Once upon a time"),
                "{\"prompt_id\": \"null-prompt\", \"prompt\": null}",
                "{\"prompt_id\": \"no-prompt\"}",
                promptLine("empty", ""),
                promptLine("long", overLong),
                "{\"prompt_id\": \"broken\", \"prompt\": ",
                "this is not json",
                promptLine("ok2", "The dog")));
        Files.write(input, "{\"prompt_id\": \"latin1\", \"prompt\": \"caf\u00e9\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND); // invalid UTF-8
        Path out = dir.resolve("out");
        JsonObject manifest = run(config(input, out, Map.of("decode.lambdas", "0,1", "decode.max_new_tokens", "8")),
                false);

        Map<String, Row> rows = rowsByKey(spark, out);
        assertEquals(9 * 2, rows.size());
        for (String ok : List.of("ok1", "ok2")) {
            Row row = rows.get(key(ok, 1.0, 0));
            assertEquals("length", row.getAs("finish_reason"));
            assertEquals(8, row.getList(row.fieldIndex("completion_ids")).size());
        }
        assertError(rows.get(key("null-prompt", 0.0, 0)), "prompt is null");
        assertError(rows.get(key("no-prompt", 0.0, 0)), "prompt is null");
        assertError(rows.get(key("empty", 1.0, 0)), "prompt is empty");
        assertError(rows.get(key("long", 0.0, 0)), "context of 512");
        long malformed = rows.values().stream().filter(r -> String.valueOf((Object) r.getAs("error"))
                .startsWith("malformed JSON line")).count();
        assertEquals(3 * 2, malformed);
        assertError(rows.get(key("broken", 1.0, 0)), "malformed JSON line"); // the id is still readable
        assertError(rows.get(key("latin1", 0.0, 0)), "malformed JSON line");
        assertEquals(14, manifest.getAsJsonObject("counts").get("errors").getAsLong());
        assertEquals(14.0 / 18, DeraJob.errorFraction(manifest), 1e-9);

        Path truncated = dir.resolve("truncated");
        run(config(input, truncated, Map.of("decode.lambdas", "0", "decode.max_new_tokens", "8",
                "prompt.truncate", "left")), false);
        Row longRow = rowsByKey(spark, truncated).get(key("long", 0.0, 0));
        assertEquals("length", longRow.getAs("finish_reason"));
        assertEquals(512 - 8, (int) longRow.getAs("prompt_token_count"));
    }

    @Test
    void duplicateIdsMissingColumnsAndAbsentInputFailOnTheDriver() throws IOException {
        Path duplicates = writeJsonl("dups.jsonl", List.of(promptLine("a", "x"), promptLine("b", "y"),
                promptLine("a", "z")));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> run(config(duplicates, dir.resolve("o1"), Map.of()), false));
        assertTrue(dup.getMessage().contains("\"a\" (2 times)"), dup.getMessage());
        assertFalse(Files.exists(dir.resolve("o1")), "a failed validation leaves no output folder to --resume");

        Path parquet = dir.resolve("wrong.parquet");
        spark.createDataFrame(List.of(new Text("p", "hello")), Text.class).write().parquet(parquet.toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> run(config(parquet, dir.resolve("o2"), Map.of()), false));
        assertTrue(missing.getMessage().contains("has no column prompt_id"), missing.getMessage());
        assertTrue(missing.getMessage().contains(Schemas.PROMPTS.json()), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("o2")));

        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> run(config(dir.resolve("absent.jsonl"), dir.resolve("o3"), Map.of()), false));
        assertTrue(absent.getMessage().contains("absent.jsonl does not exist"), absent.getMessage());
        assertFalse(Files.exists(dir.resolve("o3")));
    }

    /** A bean with the wrong columns for the prompts schema. */
    public static final class Text implements java.io.Serializable {
        private String id;
        private String prompt;

        public Text() {}

        Text(String id, String prompt) {
            this.id = id;
            this.prompt = prompt;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public String getPrompt() {
            return prompt;
        }

        public void setPrompt(String prompt) {
            this.prompt = prompt;
        }
    }

    private static void assertError(Row row, String message) {
        assertEquals("error", row.getAs("finish_reason"));
        assertTrue(((String) row.getAs("error")).contains(message), (String) row.getAs("error"));
    }

    private Map<String, Row> rowsAfter(Path input, String name, Map<String, String> common,
            Map<String, String> extra) {
        Path out = dir.resolve(name);
        Map<String, String> all = new HashMap<>(common);
        all.putAll(extra);
        run(config(input, out, all), false);
        return rowsByKey(spark, out);
    }

    private static JsonObject run(JobConfig config, boolean resume) {
        return new DeraJob(spark, config, quiet()).run(resume, ChunkListener.NONE);
    }

    static JobConfig config(Path input, Path out, Map<String, String> extra) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("model.ref", SharedModels.reference().toString());
        values.put("model.aligned", SharedModels.aligned().toString());
        values.put("input.path", input.toString());
        values.put("output.path", out.toString());
        values.put("job.chunks", "2");
        values.putAll(extra);
        return JobConfig.resolve(values);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    private Path writeJsonl(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private static int[] ints(List<Object> values) {
        return values.stream().mapToInt(v -> (Integer) v).toArray();
    }

    private static void assertPrefixClose(double[] expected, List<Object> actual, String what) {
        for (int i = 0; i < Math.min(expected.length, actual.size()); i++) {
            assertEquals(expected[i], (Float) actual.get(i), 1e-4, what + "[" + i + "]");
        }
    }
}
