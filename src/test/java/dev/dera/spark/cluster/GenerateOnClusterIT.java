package dev.dera.spark.cluster;

import static dev.dera.spark.GenerationOutputs.assertSameRows;
import static dev.dera.spark.GenerationOutputs.rowsByKey;
import static dev.dera.spark.GenerationOutputs.storyPrompts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.cli.DeraCli;
import dev.dera.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code dera generate}, submitted with {@code jobs/dera-submit} to a standalone cluster of Spark's own
 * jars, gives the rows of a local run, also when its driver is killed after a committed chunk and the run is
 * resumed, and when a Worker dies mid-job.
 */
class GenerateOnClusterIT {
    private static final int PROMPTS = 12;
    /** Generous: a loaded 2-core CI machine runs the small job at a few tokens per second. */
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);
    private static final int CHUNKS = 8;

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    @TempDir
    Path work;

    @Test
    void clusterRunsResumeAfterADriverKillAndSurviveAWorkerKillWithTheLocalRows() throws Exception {
        Path input = work.resolve("prompts.jsonl");
        Files.write(input, storyPrompts(PROMPTS));
        Path local = work.resolve("local");
        List<String> localArgs = generateArgs(input, local);
        localArgs.addAll(List.of("--master", "local[2]"));
        assertEquals(0, DeraCli.commandLine().execute(localArgs.toArray(String[]::new)));

        StandaloneCluster cluster = clusters.start(WorkerSpec.small(), WorkerSpec.small());

        Path resumed = work.resolve("resumed");
        Submission crashing = generate(cluster, input, resumed, false);
        awaitCommittedChunk(resumed, crashing);
        crashing.kill();
        long committed = committedChunks(resumed);
        assertTrue(committed >= 1 && committed < CHUNKS, committed + " of " + CHUNKS + " chunks committed at the kill");
        Submission resuming = generate(cluster, input, resumed, true);
        assertEquals(0, resuming.awaitExit(JOB_TIMEOUT), resuming.log());

        Path survived = work.resolve("survived");
        Submission losingAWorker = generate(cluster, input, survived, false);
        awaitCommittedChunk(survived, losingAWorker);
        assertTrue(committedChunks(survived) < CHUNKS, "the job was nearly done before the Worker died");
        cluster.killWorker(0);
        assertEquals(0, losingAWorker.awaitExit(JOB_TIMEOUT), losingAWorker.log());

        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            Map<String, Row> expected = rowsByKey(spark, local);
            assertEquals(PROMPTS * 2 * 2, expected.size());
            assertSameRows(expected, rowsByKey(spark, resumed));
            assertSameRows(expected, rowsByKey(spark, survived));
        } finally {
            spark.stop();
        }
    }

    private Submission generate(StandaloneCluster cluster, Path input, Path output, boolean resume) {
        List<String> args = generateArgs(input, output);
        if (resume) {
            args.add("--resume");
        }
        return cluster.deraSubmit(AppJar.application(), work, List.of(), args);
    }

    /** Sampled, 8 chunks so that a run commits some before the test interrupts it. */
    private static List<String> generateArgs(Path input, Path output) {
        return new ArrayList<>(List.of("generate", "--ref-model", SharedModels.reference().toString(),
                "--aligned-model", SharedModels.aligned().toString(), "--input", input.toString(),
                "--output", output.toString(), "--lambdas", "0,1.5", "--samples", "2", "--temperature", "1",
                "--top-p", "0.9", "--max-new-tokens", "16", "--seed", "11", "--partitions", "2",
                "--chunks", String.valueOf(CHUNKS)));
    }

    private static long committedChunks(Path output) throws IOException {
        Path committed = output.resolve("_dera/generations");
        if (!Files.isDirectory(committed)) {
            return 0;
        }
        try (Stream<Path> chunks = Files.list(committed)) {
            return chunks.filter(chunk -> chunk.getFileName().toString().startsWith("chunk=")).count();
        }
    }

    private static void awaitCommittedChunk(Path output, Submission submission) throws Exception {
        Instant deadline = Instant.now().plus(JOB_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (committedChunks(output) > 0) {
                return;
            }
            assertTrue(submission.isRunning(), "the job ended before committing a chunk:\n" + submission.log());
            Thread.sleep(200);
        }
        throw new AssertionError("no chunk committed within " + JOB_TIMEOUT + ":\n" + submission.log());
    }
}
