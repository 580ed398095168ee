package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.cli.DeraCli;
import dev.dera.lm.ModelConfigException;
import dev.dera.testing.SharedModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 14's table: each bad model, input, limit or path, run through {@code dera generate} in process, exits 2 with
 * one line that names the problem, no stack trace, and no output folder. The cases share one Spark session; none
 * starts a decoding task.
 */
class FailFastTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        // one thread, and up to 4 attempts per task as on a cluster (local[1] alone never retries)
        spark = SparkSession.builder().master("local[1,4]").appName("FailFastTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** One row of the table: what to break, and the words the one-line error must contain. */
    record Case(String name, String expected, Consumer<Run> breakIt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // models (the aligned one is a broken copy of stories260K-perturbed)
                new Case("truncated safetensors", "is beyond the data section",
                        r -> r.alignedModel(folder -> truncate(folder.resolve("model.safetensors"), 1000))),
                new Case("data offsets past the end", "data_offsets end 1175296 is beyond the data section",
                        r -> r.alignedModel(folder -> editHeader(folder, header -> shiftLastTensor(header, 4096)))),
                new Case("header length 2^63", "header length 9223372036854775808 exceeds the limit",
                        r -> r.alignedModel(folder -> writeLong(folder.resolve("model.safetensors"), Long.MIN_VALUE))),
                new Case("dtype F128", "unsupported dtype \"F128\"",
                        r -> r.alignedModel(folder -> editHeader(folder, header -> header
                                .getAsJsonObject("model.norm.weight").addProperty("dtype", "F128")))),
                new Case("num_attention_heads disagreeing with the weights", "but config.json implies [16, 64]",
                        r -> r.alignedModel(folder -> editConfig(folder, c -> c.addProperty("num_attention_heads", 16)))),
                new Case("num_key_value_heads 3 of 8", "must be a multiple of num_key_value_heads (3)",
                        r -> r.alignedModel(folder -> editConfig(folder, c -> c.addProperty("num_key_value_heads", 3)))),
                new Case("config.json syntax error", "config.json: com.google.gson.stream.MalformedJsonException",
                        r -> r.alignedModel(folder -> write(folder.resolve("config.json"), "{\"hidden_size\": 64,,}"))),
                new Case("vocab_size disagreeing with the embedding", "but config.json implies [1024, 64]",
                        r -> r.alignedModel(folder -> editConfig(folder, c -> c.addProperty("vocab_size", 1024)))),
                new Case("unreadable model folder", "cannot be read", r -> {
                    assumeFalse(isRoot(), "root reads a chmod 000 folder anyway, so this case cannot fail as root");
                    r.alignedModel(folder -> chmod(folder, "---------"));
                }),
                new Case("model folder that does not exist", "does not exist",
                        r -> r.options.put("--aligned-model", "no/such/model")),
                // inputs
                new Case("empty JSONL file", "has no rows", r -> r.input("empty.jsonl", "")),
                new Case("Parquet file with zero rows", "has no rows", r -> r.options.put("--input",
                        r.parquet("zero.parquet", 0).toString())),
                new Case("empty input folder", "has no data files", r -> {
                    r.options.put("--input", r.folder("empty").toString());
                    r.options.put("--input-format", "parquet");
                }),
                new Case("Parquet read with --input-format json", "is Parquet", r -> {
                    r.options.put("--input", r.parquet("prompts.parquet", 2).toString());
                    r.options.put("--input-format", "json");
                }),
                new Case("JSON Lines read with --input-format parquet", "is not Parquet",
                        r -> r.options.put("--input-format", "parquet")),
                new Case("JSONL without a prompt column", "has no \"prompt\" or \"messages\" in any of its 2 rows",
                        r -> r.input("noprompt.jsonl", "{\"prompt_id\": \"a\", \"text\": \"x\"}\n"
                                + "{\"prompt_id\": \"b\", \"text\": \"y\"}\n")),
                new Case("unreadable input", "cannot read input", r -> {
                    assumeFalse(isRoot(), "root reads a chmod 000 file anyway, so this case cannot fail as root");
                    chmod(Path.of(r.options.get("--input")), "---------");
                }),
                // limits
                new Case("max-new-tokens beyond the context", "context is 512 tokens",
                        r -> r.options.put("--max-new-tokens", "2147483647")),
                new Case("samples x lambdas beyond the bound", "at most 4096 are allowed",
                        r -> r.options.put("--samples", "2147483647")),
                new Case("lambda 0 and -0.0", "lists a lambda twice", r -> r.options.put("--lambdas", "0,-0.0")),
                new Case("absurd chunk count", "job.chunks must be at most", r -> r.options.put("--chunks", "999999999")),
                // paths
                new Case("missing conf file", "does not exist (--conf)",
                        r -> r.options.put("--conf", r.dir.resolve("absent.conf").toString())),
                new Case("output under a regular file", "cannot create the output folder", r -> {
                    Path file = r.dir.resolve("file");
                    write(file, "x");
                    r.options.put("--output", file.resolve("out").toString());
                    r.out = file.resolve("out");
                }),
                new Case("output under a read-only folder", "cannot create the output folder", r -> {
                    assumeFalse(isRoot(), "root writes into a read-only folder anyway, so this case cannot fail as root");
                    Path locked = r.folder("locked");
                    chmod(locked, "r-xr-xr-x");
                    r.out = locked.resolve("out");
                    r.options.put("--output", r.out.toString());
                }),
                new Case("output inside the input", "is inside the input", r -> {
                    Path input = r.parquet("in.parquet", 2);
                    r.options.put("--input", input.toString());
                    r.out = input.resolve("out");
                    r.options.put("--output", r.out.toString());
                }),
                new Case("bogus master URL", "is not a Spark master URL", r -> r.options.put("--master", "bogus")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithOneLineExit2AndNoOutputFolder(Case c) throws IOException {
        Run run = new Run(dir);
        c.breakIt().accept(run);
        Result result = generate(run.args());

        String text = result.err();
        assertEquals(2, result.exit(), text);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + text);
        assertTrue(lines.get(0).startsWith("dera: ") && lines.get(0).contains(c.expected()), text);
        assertFalse(text.contains("\tat "), text);
        assertFalse(Files.exists(run.out), "no output folder: " + run.out);
    }

    @Test
    void resumeRefusesChangedModelsOrInputAndAcceptsTheSameRunWrittenDifferently() throws IOException {
        Path aligned = Files.createDirectories(dir.resolve("aligned"));
        copyFolder(SharedModels.aligned(), aligned);
        Path input = dir.resolve("prompts.jsonl");
        Files.write(input, GenerationOutputs.storyPrompts(6));
        Path out = dir.resolve("out");
        Map<String, String> settings = new LinkedHashMap<>(Map.of("model.ref", SharedModels.reference().toString(),
                "model.aligned", aligned.toString(), "input.path", input.toString(), "output.path", out.toString(),
                "decode.lambdas", "0,1", "decode.max_new_tokens", "3", "job.chunks", "3"));
        JobConfig config = JobConfig.resolve(settings);
        assertThrows(IllegalStateException.class, () -> new DeraJob(spark, config, QUIET).run(false, chunk -> {
            throw new IllegalStateException("killed after the first chunk");
        }));
        assertEquals("failed", manifest(out).get("status").getAsString());
        assertTrue(manifest(out).get("error").getAsString().contains("killed after the first chunk"));

        Path weights = aligned.resolve("model.safetensors");
        byte[] original = Files.readAllBytes(weights);
        byte[] changed = original.clone();
        changed[changed.length - 1] ^= 1;
        Files.write(weights, changed);
        assertRefused(out, "the aligned model's files", "--resume", "--conf", conf(settings).toString());

        Files.write(weights, original);
        Path relativeAligned = Path.of("").toAbsolutePath().relativize(aligned);
        Result resumed = generate("--resume", "--conf", conf(settings).toString(), "--aligned-model",
                relativeAligned.toString(), "--lambdas", "0.0,1.0");
        assertEquals(0, resumed.exit(), "a relative path and 0.0,1.0 are the same run: " + resumed.err());
        assertEquals("complete", manifest(out).get("status").getAsString());
        assertEquals(spark.sparkContext().master(), manifest(out).get("master").getAsString(),
                "the session's, not job.master's");

        Files.write(weights, changed);
        assertRefused(out, "the aligned model's files", "--resume", "--conf", conf(settings).toString());
        Files.write(weights, original);
        Files.writeString(input, GenerationOutputs.promptLine("extra", "The end") + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertRefused(out, "the input's content", "--resume", "--conf", conf(settings).toString());
    }

    @Test
    void aModelErrorOnAnExecutorFailsTheJobOnceWithItsMessage() {
        LongAccumulator attempts = spark.sparkContext().longAccumulator("attempts");
        String path = dir.resolve("never").toString();
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelErrorWatch.run(
                spark.sparkContext(), () -> {
                    spark.range(4).repartition(2).mapPartitions(failingWithAModelError(attempts), Encoders.LONG())
                            .write().parquet(path);
                    return null;
                }));
        assertEquals("an executor cannot use the models: model folder /models/x changed", e.getMessage());
        assertTrue(attempts.value() <= 2, "no retries of a model error (4 attempts allowed): " + attempts.value());
    }

    private static MapPartitionsFunction<Long, Long> failingWithAModelError(LongAccumulator attempts) {
        return rows -> {
            attempts.add(1);
            throw new ModelConfigException("model folder /models/x changed");
        };
    }

    private void assertRefused(Path out, String expected, String... args) throws IOException {
        String before = Files.readString(out.resolve(OutputFolder.MANIFEST));
        Result result = generate(args);
        assertEquals(2, result.exit(), result.err());
        assertTrue(result.err().contains("cannot resume") && result.err().contains(expected), result.err());
        assertEquals(before, Files.readString(out.resolve(OutputFolder.MANIFEST)), "a refused resume changes nothing");
    }

    private Path conf(Map<String, String> settings) throws IOException {
        Path file = dir.resolve("job.conf");
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        return Files.writeString(file, text);
    }

    private static JsonObject manifest(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve(OutputFolder.MANIFEST))).getAsJsonObject();
    }

    record Result(int exit, String err) {}

    private static Result generate(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = DeraCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(new String[0]));
        return new Result(exit, err.toString());
    }

    private static void copyFolder(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The options of one generate run over valid models and input, for a case to break. */
    static final class Run {
        final Path dir;
        final Map<String, String> options = new LinkedHashMap<>();
        Path out;

        Run(Path dir) {
            this.dir = dir;
            out = dir.resolve("out");
            options.put("--ref-model", SharedModels.reference().toString());
            options.put("--aligned-model", SharedModels.aligned().toString());
            options.put("--input", input("prompts.jsonl", "{\"prompt_id\": \"a\", \"prompt\": \"Once\"}\n"
                    + "{\"prompt_id\": \"b\", \"prompt\": \"The dog\"}\n").toString());
            options.put("--output", out.toString());
            options.put("--lambdas", "0,1");
            options.put("--max-new-tokens", "4");
        }

        String[] args() {
            List<String> args = new ArrayList<>();
            options.forEach((option, value) -> args.addAll(List.of(option, value)));
            return args.toArray(new String[0]);
        }

        Path input(String name, String text) {
            Path file = dir.resolve(name);
            write(file, text);
            options.put("--input", file.toString());
            return file;
        }

        Path parquet(String name, int rows) {
            Path path = dir.resolve(name);
            List<org.apache.spark.sql.Row> data = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                data.add(RowFactory.create("p" + i, "Once upon a time"));
            }
            StructType textPrompts = new StructType(new StructField[] {
                Schemas.PROMPTS.apply(Schemas.PROMPT_ID), Schemas.PROMPTS.apply(Schemas.PROMPT)});
            spark.createDataFrame(data, textPrompts).write().parquet(path.toString());
            return path;
        }

        Path folder(String name) {
            try {
                return Files.createDirectories(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Uses a copy of the aligned model, broken by {@code breakIt}, as the aligned model. */
        void alignedModel(Consumer<Path> breakIt) {
            Path copy = folder("aligned-copy");
            copyFolder(SharedModels.aligned(), copy);
            breakIt.accept(copy);
            options.put("--aligned-model", copy.toString());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chmod(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long bytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLong(Path file, long value) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void editConfig(Path folder, Consumer<JsonObject> edit) {
        try {
            Path file = folder.resolve("config.json");
            JsonObject config = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            edit.accept(config);
            Files.writeString(file, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites model.safetensors with an edited header JSON and the same data bytes. */
    private static void editHeader(Path folder, Consumer<JsonObject> edit) {
        try {
            Path file = folder.resolve("model.safetensors");
            byte[] bytes = Files.readAllBytes(file);
            int headerLength = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonObject header = JsonParser.parseString(new String(bytes, 8, headerLength, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            edit.accept(header);
            byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length);
            ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json).put(data);
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the tensor whose data ends last {@code bytes} further, past the end of the file. */
    private static void shiftLastTensor(JsonObject header, long bytes) {
        String last = null;
        long lastEnd = -1;
        for (String name : header.keySet()) {
            if (header.get(name).getAsJsonObject().has("data_offsets")) {
                long end = header.getAsJsonObject(name).getAsJsonArray("data_offsets").get(1).getAsLong();
                if (end > lastEnd) {
                    last = name;
                    lastEnd = end;
                }
            }
        }
        var offsets = header.getAsJsonObject(last).getAsJsonArray("data_offsets");
        long start = offsets.get(0).getAsLong();
        offsets.set(0, new com.google.gson.JsonPrimitive(start + bytes));
        offsets.set(1, new com.google.gson.JsonPrimitive(lastEnd + bytes));
    }
}
