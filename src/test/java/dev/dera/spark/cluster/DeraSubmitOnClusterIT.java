package dev.dera.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/dera-submit} on a standalone cluster of Spark's own jars, as docs/CLUSTER.md tells a user to run it:
 * from a folder of their own, with relative paths and a dataset that has columns of its own.
 */
class DeraSubmitOnClusterIT {
    private static final int PROMPTS = 6;
    private static final List<String> LAMBDAS = List.of("0", "1");

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    /** The user's folder: {@code models/} (the project's embedded pair) and {@code prompts.jsonl}. */
    @TempDir
    Path work;

    @BeforeEach
    void usersFolder() throws IOException {
        Files.createSymbolicLink(work.resolve("models"), ProjectPaths.jobs().resolveSibling("models"));
        Files.write(work.resolve("prompts.jsonl"), IntStream.range(0, PROMPTS)
                .mapToObj(DeraSubmitOnClusterIT::promptWithMetadata).toList());
    }

    @Test
    void onlyTheMasterRelativePathsAndExtraColumnsGiveEveryRowWithItsColumns() throws Exception {
        StandaloneCluster cluster = clusters.start(WorkerSpec.small());

        Submission run = cluster.deraSubmit(AppJar.application(), work, List.of(), List.of("generate",
                "--ref-model", "models/embedded/reference", "--aligned-model", "models/embedded/aligned",
                "--input", "prompts.jsonl", "--output", "out", "--lambdas", String.join(",", LAMBDAS),
                "--max-new-tokens", "8"));
        assertEquals(0, run.awaitExit(Duration.ofMinutes(6)), run.log());

        String log = run.log();
        assertTrue(log.contains("dera: " + PROMPTS * LAMBDAS.size() + "/" + PROMPTS * LAMBDAS.size() + " rows"), log);
        assertFalse(log.lines().anyMatch(line -> line.contains(" INFO ")), "Spark's INFO lines are shown:\n" + log);
        List<Row> rows = rows(work.resolve("out"));
        assertEquals(PROMPTS * LAMBDAS.size(), rows.size());
        assertEquals(PROMPTS * LAMBDAS.size(), rows.stream().map(row -> row.getAs("prompt_id") + "|"
                + row.getAs("lambda")).distinct().count(), "a key is missing or repeated");
        assertTrue(rows.stream().noneMatch(row -> "error".equals(row.getAs("finish_reason"))), rows.toString());
        for (Row row : rows) {
            int id = Integer.parseInt(row.<String>getAs("prompt_id").substring(1));
            assertEquals("set-" + id % 2, row.getAs("source"), "the input's source column, carried: " + row);
            assertEquals(id * 10L, ((Number) row.getAs("weight")).longValue(), "the input's weight column: " + row);
        }
    }

    @Test
    void aConfShippedWithFilesIsTheOneGenerateReads() throws Exception {
        StandaloneCluster cluster = clusters.start(WorkerSpec.small());
        Path models = ProjectPaths.jobs().resolveSibling("models").resolve("embedded");
        Path conf = Files.writeString(work.resolve("tiny.conf"), String.join("\n",
                "model.ref = " + models.resolve("reference"), "model.aligned = " + models.resolve("aligned"),
                "decode.lambdas = 0.5", "decode.max_new_tokens = 4", "job.chunks = 2", ""));

        Submission run = cluster.deraSubmit(AppJar.application(), work, List.of("--files", conf.toString()),
                List.of("generate", "--conf", "tiny.conf", "--input", "prompts.jsonl", "--output", "out"));
        assertEquals(0, run.awaitExit(Duration.ofMinutes(6)), run.log());

        List<Row> rows = rows(work.resolve("out"));
        assertEquals(PROMPTS, rows.size());
        assertTrue(rows.stream().allMatch(row -> (double) row.getAs("lambda") == 0.5), rows.toString());
    }

    @Test
    void aRequestNoWorkerCanMeetFailsInBoundedTimeSayingWhatWasAskedAndWhatIsOffered() throws Exception {
        StandaloneCluster cluster = clusters.start(WorkerSpec.small());

        long started = System.nanoTime();
        Submission run = cluster.deraSubmit(AppJar.application(), work, List.of("--executor-memory", "4g",
                        "--conf", "spark.dera.executorWaitTimeout=15s", "--conf",
                        "spark.dera.masterWebUi=" + cluster.masterWebUi()),
                List.of("generate", "--ref-model", "models/embedded/reference", "--aligned-model",
                        "models/embedded/aligned", "--input", "prompts.jsonl", "--output", "out"));
        int exitCode = run.awaitExit(Duration.ofMinutes(2));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        String log = run.log();
        assertEquals(2, exitCode, log);
        assertTrue(seconds < 100, "the job failed after " + seconds + " s, not soon after the 15 s wait");
        assertTrue(log.contains("no executor started within 15 s on " + cluster.masterUrl()), log);
        assertTrue(log.contains("4g memory (spark.executor.memory)"), log);
        assertTrue(log.contains("worker 127.0.0.1:") && log.contains("of 1024 MB free"), log);
        assertFalse(Files.exists(work.resolve("out")), "the failed job left an output folder");
    }

    private static List<Row> rows(Path output) {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            return spark.read().parquet(output.toString()).collectAsList();
        } finally {
            spark.stop();
        }
    }

    private static String promptWithMetadata(int id) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("prompt_id", "p" + id);
        line.put("prompt", List.of("Once upon a time", "The dog", "One day").get(id % 3));
        line.put("source", "set-" + id % 2);
        line.put("weight", id * 10);
        return new Gson().toJson(line);
    }
}
