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
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dera generate end to end on local[2] with the stories260K pair. */
class DeraJobTest {
    /** Sampled rows (2 lambdas x 2 samples) in 4 chunks, for the interrupted-and-resumed runs. */
    private static final Map<String, String> SAMPLED_IN_CHUNKS = Map.of("sampling.temperature", "1",
            "decode.samples", "2", "decode.lambdas", "0,1", "decode.max_new_tokens", "6", "job.chunks", "4");
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = GenerationOutputs.localSpark("DeraJobTest");
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
        assertEquals(schemaFile, spark.read().parquet(out.toString()).schema(), "no input column to carry");
        assertEquals(schemaFile, spark.read().parquet(dataFiles(out, ".parquet").get(0).toString()).schema(),
                "one file read without partition discovery has every column, lambda too");
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
                "batch.max_prompts", "2", "job.chunks", "3", "job.concurrent_chunks", "3"));
        Map<String, Row> sequential = rowsAfter(input, "sequential", sampled, Map.of("job.partitions", "4",
                "batch.max_prompts", "2", "job.chunks", "3", "job.concurrent_chunks", "1"));
        assertEquals(10 * 2 * 3, one.size());
        assertSameRows(one, four);
        assertSameRows(sequential, four);
        assertTrue(one.values().stream().map(r -> r.getList(r.fieldIndex("completion_ids"))).distinct().count() > 30,
                "sampling at T = 1 gives varied completions");
    }

    @Test
    void resumeAfterACrashCompletesWithEveryKeyOnceAndTheSameValues() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(12));
        Path out = dir.resolve("crashed");
        JobConfig config = config(input, out, SAMPLED_IN_CHUNKS);
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
        assertEveryKeyOnceAsUninterrupted(input, out);
        assertEquals("complete", run(config, true).get("status").getAsString(), "resuming a complete run is a no-op");
    }

    @Test
    void aChunkWhoseJobFailsFailsTheRunAndResumeCompletesIt() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(12));
        Path out = dir.resolve("failing-chunk");
        JobConfig config = config(input, out, SAMPLED_IN_CHUNKS);
        assertThrows(RuntimeException.class, () -> new DeraJob(spark, config, quiet()).run(false, chunk -> {
            throw new RuntimeException("crash after the first commit");
        }));
        Path staged = folderOfAMissingChunk(out);
        Path saved = dir.resolve("saved-chunk");
        copyFolder(staged, saved);
        for (Path file : dataFiles(staged, ".parquet")) {
            Files.writeString(file, "not parquet"); // the chunk's Spark job fails reading it
        }

        Exception failed = assertThrows(Exception.class, () -> run(config, true));
        assertFalse(failed.getMessage().isEmpty());
        JsonObject manifest = RunManifest.parse(Files.readString(out.resolve(OutputFolder.MANIFEST)));
        assertEquals("failed", manifest.get("status").getAsString(), "the failure is recorded for --resume");
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "nothing is published while a chunk is missing");

        deleteFolder(staged);
        copyFolder(saved, staged);
        assertEquals("complete", run(config, true).get("status").getAsString());
        assertEveryKeyOnceAsUninterrupted(input, out);
    }

    /** The 12 prompts' rows of an interrupted and resumed run: every key once, as an uninterrupted run has them. */
    private void assertEveryKeyOnceAsUninterrupted(Path input, Path out) {
        List<Row> all = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(12 * 2 * 2, all.size());
        assertEquals(all.size(), all.stream().map(GenerationOutputs::key).distinct().count(), "every key exactly once");
        assertSameRows(rowsAfter(input, "uninterrupted", SAMPLED_IN_CHUNKS, Map.of()), rowsByKey(spark, out));
    }

    @Test
    void publishingThatCrashedHalfwayCompletesOnResume() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(6));
        Path out = dir.resolve("half-published");
        JobConfig config = config(input, out, Map.of("decode.lambdas", "0,1", "decode.max_new_tokens", "4"));
        assertThrows(RuntimeException.class, () -> new DeraJob(spark, config, quiet()).run(false, chunk -> {
            if (folders(out.resolve("_dera/generations")) == folders(out.resolve("_dera/prompts"))) {
                throw new RuntimeException("crash once every chunk is committed, before publishing");
            }
        }));
        Path moved = dataFiles(out.resolve("_dera/generations"), ".parquet").get(0);
        Path target = out.resolve(moved.getParent().getFileName()).resolve(moved.getFileName());
        Files.createDirectories(target.getParent());
        Files.move(moved, target); // what a publication interrupted after its first rename leaves

        run(config, true);
        List<Row> all = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(6 * 2, all.size());
        assertEquals(all.size(), all.stream().map(GenerationOutputs::key).distinct().count(), "every key exactly once");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void everyInputColumnIsCarriedWithPromptLambdaAndModelIdentityInEveryFile() throws IOException {
        Path input = writeJsonl("labeled.jsonl", List.of(
                "{\"prompt_id\": \"a\", \"prompt\": \"Once upon a time\", \"source\": \"web\", \"score\": 3,"
                        + " \"meta\": {\"lang\": \"en\"}}",
                "{\"prompt_id\": \"b\", \"prompt\": \"The dog\", \"source\": \"book\"}",
                "{\"prompt_id\": \"broken\", \"prompt\": "));
        Path out = dir.resolve("labeled");
        JsonObject manifest = run(config(input, out, Map.of("decode.lambdas", "0,1", "decode.max_new_tokens", "4")),
                false);

        List<String> carried = List.of("meta", "score", "source"); // JSON Lines columns are inferred by name order
        for (Path file : dataFiles(out, ".parquet")) {
            StructType schema = spark.read().parquet(file.toString()).schema();
            assertEquals(List.of(Schemas.GENERATIONS.fieldNames()),
                    List.of(schema.fieldNames()).subList(0, Schemas.GENERATIONS.size()), file.toString());
            assertEquals(carried, List.of(schema.fieldNames()).subList(Schemas.GENERATIONS.size(), schema.size()));
            assertEquals(DataTypes.DoubleType, schema.apply(Schemas.LAMBDA).dataType());
            assertEquals(DataTypes.LongType, schema.apply("score").dataType());
        }
        Map<String, Row> rows = rowsByKey(spark, out);
        assertEquals(3 * 2, rows.size());
        Row a = rows.get(key("a", 1.0, 0));
        assertEquals("Once upon a time", a.getAs("prompt"));
        assertEquals("web", a.getAs("source"));
        assertEquals(3L, (long) a.getAs("score"));
        assertEquals("en", a.<Row>getAs("meta").getAs("lang"));
        Row b = rows.get(key("b", 0.0, 0));
        assertEquals("book", b.getAs("source"));
        assertTrue(b.isNullAt(b.fieldIndex("score")));
        Row broken = rows.get(key("broken", 0.0, 0)); // a malformed line keeps the prompt_id it still shows
        assertEquals("error", broken.getAs("finish_reason"));
        JsonObject models = manifest.getAsJsonObject("models");
        for (Row row : rows.values()) {
            assertEquals(SharedModels.reference().getFileName().toString(), row.getAs("ref_model"));
            assertEquals(SharedModels.aligned().getFileName().toString(), row.getAs("aligned_model"));
            assertEquals(models.getAsJsonObject("ref").get("sha256").getAsString().substring(0, ModelStamp.PREFIX),
                    row.getAs("ref_model_sha256"));
            assertEquals(models.getAsJsonObject("aligned").get("sha256").getAsString()
                    .substring(0, ModelStamp.PREFIX), row.getAs("aligned_model_sha256"));
        }
        assertFalse(a.getAs("ref_model_sha256").equals(a.getAs("aligned_model_sha256")));

        Path json = dir.resolve("labeled-json");
        JsonObject jsonManifest = run(config(input, json, Map.of("decode.lambdas", "0,1",
                "decode.max_new_tokens", "4", "output.format", "json")), false);
        assertEquals(3 * 2, jsonManifest.getAsJsonObject("counts").get("rows").getAsLong());
        assertEquals(2, jsonManifest.getAsJsonObject("counts").get("errors").getAsLong());
        Row line = spark.read().json(json.toString()).where("prompt_id = 'a' AND lambda = 1.0").first();
        assertEquals("web", line.getAs("source"));
        assertEquals(a.<String>getAs("completion_text"), line.getAs("completion_text"));
    }

    @Test
    void keepColumnsNarrowsTheCarriedColumnsAndNamesAnUnknownOne() throws IOException {
        Path input = dir.resolve("labeled.parquet");
        spark.sql("SELECT 'p' || id AS prompt_id, 'Once upon a time' AS prompt, 'web' AS source,"
                + " CAST(id AS DOUBLE) AS weight FROM range(3)").write().parquet(input.toString());
        Path out = dir.resolve("narrow");
        run(config(input, out, Map.of("decode.lambdas", "1", "decode.max_new_tokens", "2",
                "output.keep_columns", "source")), false);
        StructType schema = spark.read().parquet(out.toString()).schema();
        assertEquals(Schemas.withCarried(new StructType().add("source", DataTypes.StringType)), schema);
        assertEquals(3, spark.read().parquet(out.toString()).where("source = 'web'").count());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run(config(input,
                dir.resolve("unknown"), Map.of("output.keep_columns", "source, lang")), false));
        assertTrue(unknown.getMessage().contains("\"lang\""), unknown.getMessage());
        assertFalse(Files.exists(dir.resolve("unknown")), "a bad keep_columns leaves no output folder");

        Path clashing = writeJsonl("clashing.jsonl", List.of("{\"prompt_id\": \"a\", \"prompt\": \"x\", \"seed\": 1}"));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> run(config(clashing, dir.resolve("clash"), Map.of()), false));
        assertTrue(clash.getMessage().contains("\"seed\""), clash.getMessage());
        assertFalse(Files.exists(dir.resolve("clash")), "an input column named like an output column is refused first");
    }

    @Test
    void eachChunkAddsOneFilePerLambdaSplitByRowsPerFile() throws IOException {
        Path input = writeJsonl("prompts.jsonl", storyPrompts(10));
        Map<String, String> settings = Map.of("decode.lambdas", "0,2", "decode.max_new_tokens", "2",
                "job.partitions", "3");
        Path twoChunks = dir.resolve("two-chunks");
        JsonObject fileCounts = run(config(input, twoChunks, settings), false).getAsJsonObject("files");
        for (String lambda : List.of("lambda=0.0", "lambda=2.0")) {
            assertEquals(2, dataFiles(twoChunks.resolve(lambda), ".parquet").size(), lambda);
            assertEquals(2, fileCounts.get(lambda).getAsInt(), "the manifest counts the files per lambda");
        }

        Path split = dir.resolve("split");
        Map<String, String> splitSettings = new HashMap<>(settings);
        splitSettings.putAll(Map.of("job.chunks", "1", "output.rows_per_file", "3"));
        run(config(input, split, splitSettings), false);
        for (String lambda : List.of("lambda=0.0", "lambda=2.0")) {
            List<Path> files = dataFiles(split.resolve(lambda), ".parquet");
            assertEquals(4, files.size(), "10 rows, at most 3 per file");
            for (Path file : files) {
                assertTrue(spark.read().parquet(file.toString()).count() <= 3, file.toString());
            }
        }
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

        Path withoutId = writeJsonl("no-id.jsonl", List.of(promptLine("a", "x"), "{\"prompt\": \"y\"}"));
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
                () -> run(config(withoutId, dir.resolve("o4"), Map.of("job.chunks", "16")), false));
        assertTrue(noId.getMessage().contains("has rows without prompt_id"), noId.getMessage());
        assertFalse(Files.exists(dir.resolve("o4")));

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

    private static long folders(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The staged prompts of a chunk that has no committed rows yet. */
    private static Path folderOfAMissingChunk(Path out) throws IOException {
        try (Stream<Path> chunks = Files.list(out.resolve("_dera/prompts"))) {
            return chunks.filter(chunk -> chunk.getFileName().toString().startsWith("chunk="))
                    .filter(chunk -> !Files.exists(out.resolve("_dera/generations").resolve(chunk.getFileName())))
                    .findFirst().orElseThrow();
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(file);
            }
        }
    }

    /** The data files under a folder, by name. */
    private static List<Path> dataFiles(Path folder, String extension) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(extension)).sorted()
                    .collect(Collectors.toList());
        }
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
