package dev.dera.spark;

import static org.apache.spark.sql.functions.col;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Driver side of {@code dera generate}. Reads like the data flow: check the models, the limits and the prompts,
 * stage the prompts in chunks (by hash of prompt_id), decode each chunk not yet committed with a
 * {@link DeraTransformer} (a few chunks' jobs at a time, {@link ChunkJobs}), write it in the published table's layout
 * and commit it with one rename, then publish the table by moving the committed files into it, and write the
 * manifest. Every check runs before the output folder exists; a crash loses at most the chunks in flight, and a resumed run of the same models, input and settings
 * decodes only the missing chunks (docs/EXACTLY_ONCE.md).
 */
public final class DeraJob {
    private final SparkSession spark;
    private final JobConfig config;
    private final PrintStream log;
    private final OutputFolder output;
    private final GenerationsTable table;

    /** A job over {@code config} whose relative paths are made absolute here, on the driver. */
    public DeraJob(SparkSession spark, JobConfig config, PrintStream log) {
        this.spark = spark;
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        this.config = config.withAbsolutePaths(path -> absolute(path, hadoop));
        this.log = log;
        this.output = new OutputFolder(this.config.outputPath(), hadoop);
        this.table = new GenerationsTable(this.config, output);
    }

    /** Runs (or with {@code resume}, completes) the job; returns the finished manifest. */
    public JsonObject run(boolean resume, ChunkListener listener) {
        long started = System.currentTimeMillis();
        DeraTransformer transformer = DeraTransformer.fromConfig(config);
        TaskSettings settings = transformer.validate(spark);
        if (runsTasksInThisJvm()) {
            ExecutorModels.preloadInBackground(settings);
        }
        Map<String, String> hadoopConf = DeraTransformer.hadoopConf(spark);
        requireFitsContext(hadoopConf);
        requireOutputOutsideInput();
        CompletableFuture<JsonObject> hashing = CompletableFuture.supplyAsync(() -> modelIdentities(hadoopConf));
        Optional<JsonObject> previous = previousManifest(resume);
        // Bad input fails here, before the output folder exists, so a fixed input runs with the same command.
        Dataset<Row> prompts = validPrompts(transformer);
        PromptInput.Checked checked = PromptInput.check(prompts, config.inputPath(), config.chunks());
        JsonObject models = join(hashing);
        previous.ifPresent(manifest -> RunManifest.requireSameRun(manifest, config, models, checked.fingerprint()));
        if (previous.isPresent() && RunManifest.isComplete(previous.get())) {
            log.println("dera: " + output.root() + " is already complete");
            output.deleteWork();
            return previous.get();
        }
        JsonObject manifest = previous.orElseGet(() -> RunManifest.started(config, spark.version(),
                spark.sparkContext().master(), models, checked.fingerprint()));
        RunManifest.resumed(manifest);
        RunManifest.addApplicationId(manifest, spark.sparkContext().applicationId());
        output.create();
        output.writeManifest(RunManifest.toJson(manifest));
        try {
            return ModelErrorWatch.run(spark.sparkContext(),
                    () -> decodeAndPublish(manifest, models, prompts, checked.promptsPerChunk(), transformer, listener,
                            started));
        } catch (Exception e) { // SparkException included, which Java does not see as checked
            recordFailure(e, manifest, previous.isEmpty());
            throw e;
        }
    }

    /**
     * Marks the manifest failed, so {@code --resume} can complete the run; but a new run that the executors could
     * not start on its models (no chunk committed) leaves no output folder, like the driver's own model checks.
     */
    private void recordFailure(Exception error, JsonObject manifest, boolean newRun) {
        try {
            if (newRun && error instanceof ModelConfigException && output.committedChunks().isEmpty()) {
                output.delete();
            } else {
                RunManifest.fail(manifest, error);
                output.writeManifest(RunManifest.toJson(manifest));
            }
        } catch (RuntimeException unrecorded) {
            error.addSuppressed(unrecorded);
        }
    }

    private JsonObject decodeAndPublish(JsonObject manifest, JsonObject models, Dataset<Row> prompts,
            Map<Integer, Long> promptsPerChunk, DeraTransformer transformer, ChunkListener listener, long started) {
        if (!output.promptsStaged()) {
            stagePrompts(prompts);
        }
        long staged = System.currentTimeMillis();
        transformer.setModelStamp(ModelStamp.of(models));
        decodeMissingChunks(transformer, listener, promptsPerChunk, prompts.schema());
        long decoded = System.currentTimeMillis();
        output.publishChunks();
        JsonArray perLambda = LambdaSummary.of(table.read(spark));
        long published = System.currentTimeMillis();

        JsonObject timings = new JsonObject();
        timings.addProperty("validate_and_stage", staged - started);
        timings.addProperty("decode", decoded - staged);
        timings.addProperty("publish", published - decoded);
        timings.addProperty("total", published - started);
        RunManifest.finish(manifest, counts(perLambda, promptsPerChunk), timings, perLambda);
        manifest.add("files", output.publishedFiles());
        output.writeManifest(RunManifest.toJson(manifest));
        output.deleteWork();
        log.print(LambdaSummary.format(perLambda));
        return manifest;
    }

    /** Fraction of error rows in a finished manifest. */
    public static double errorFraction(JsonObject manifest) {
        JsonObject counts = manifest.getAsJsonObject("counts");
        long rows = counts.get("rows").getAsLong();
        return rows == 0 ? 0 : (double) counts.get("errors").getAsLong() / rows;
    }

    /** The manifest of the run that wrote the output, when it exists and {@code resume} asks to complete it. */
    private Optional<JsonObject> previousManifest(boolean resume) {
        if (!output.exists()) {
            return Optional.empty();
        }
        if (!resume) {
            throw new IllegalArgumentException("output " + output.root() + " already exists; pass --resume to"
                    + " complete an interrupted run there, or choose a new output folder");
        }
        return Optional.of(RunManifest.parse(output.readManifest().orElseThrow(() ->
                new IllegalArgumentException("cannot resume: " + output.root() + " has no "
                        + OutputFolder.MANIFEST + ", so it was not written by dera generate"))));
    }

    /**
     * The input prompts, conversations rendered with the chat template, checked for the columns the job needs and
     * for carried columns that would clash with generated ones ({@link PromptInput#check} checks their rows).
     */
    private Dataset<Row> validPrompts(DeraTransformer transformer) {
        Dataset<Row> prompts = table.keptColumns(ChatPrompts.render(
                PromptInput.read(spark, config.inputPath(), config.inputFormat()), config, DeraTransformer.hadoopConf(spark)));
        transformer.transformSchema(prompts.schema());
        return prompts;
    }

    /** Whether this JVM is the only executor and its tasks decode on the CPU: local mode with no GPU asked for. */
    private boolean runsTasksInThisJvm() {
        String taskGpus = "spark.task.resource." + TaskDevices.GPU_RESOURCE + ".amount";
        return spark.sparkContext().isLocal() && !spark.sparkContext().getConf().contains(taskGpus);
    }

    /** Refuses a max_new_tokens that no prompt could reach within the models' context. */
    private void requireFitsContext(Map<String, String> hadoopConf) {
        int context = Math.min(contextOf(config.refModel(), hadoopConf), contextOf(config.alignedModel(), hadoopConf));
        if (config.decode().maxNewTokens() >= context) {
            throw new IllegalArgumentException("decode.max_new_tokens (--max-new-tokens) is " + config.decode().maxNewTokens()
                    + " but the models' context is " + context + " tokens (max_position_embeddings), so at most "
                    + (context - 1) + " new tokens fit after a one-token prompt");
        }
    }

    private static int contextOf(String model, Map<String, String> hadoopConf) {
        return ModelConfig.load(ModelFiles.localizeHeaders(model, hadoopConf)).maxPositions();
    }

    /** Refuses an output inside the input, which a rerun would read back as input. */
    private void requireOutputOutsideInput() {
        String input = config.inputPath().replaceAll("/+$", "");
        String out = config.outputPath().replaceAll("/+$", "");
        if (out.equals(input) || out.startsWith(input + "/")) {
            throw new IllegalArgumentException("output " + out + " is inside the input " + input
                    + "; Spark would read it back as input on a rerun, so choose an output outside the input");
        }
    }

    /** {@code path} made absolute against the default filesystem's working folder (a path with a scheme stays). */
    private static String absolute(String path, Configuration hadoop) {
        org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(path);
        if (hadoopPath.toUri().getScheme() != null) {
            return path;
        }
        try {
            return FileSystem.get(hadoop).makeQualified(hadoopPath).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve the path " + path + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject join(CompletableFuture<JsonObject> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void stagePrompts(Dataset<Row> prompts) {
        String temp = output.newTemp();
        prompts.withColumn("chunk", PromptInput.chunkOf(config.chunks()))
                .write().partitionBy("chunk").parquet(temp);
        output.commit(temp, output.stagedPrompts());
    }

    /**
     * Decodes and commits every staged chunk not yet committed, {@code job.concurrent_chunks} at a time. The staged
     * files are read with the prompts' schema, which spares Spark a job per chunk to read it from their footers.
     */
    private void decodeMissingChunks(DeraTransformer transformer, ChunkListener listener,
            Map<Integer, Long> promptsPerChunk, StructType stagedSchema) {
        TreeSet<Integer> missing = output.stagedChunks();
        missing.removeAll(output.committedChunks());
        long rows = missing.stream().mapToLong(chunk -> promptsPerChunk.getOrDefault(chunk, 0L)).sum()
                * config.decode().rowsPerPrompt();
        DecodeCounters counters = DecodeCounters.register(spark.sparkContext());
        transformer.setCounters(counters);
        int partitions = config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
        try (ProgressReporter progress = new ProgressReporter(counters, rows, config.progressSeconds(), log)) {
            ChunkJobs.run(spark.sparkContext(), missing, config.concurrentChunks(), chunk -> {
                Dataset<Row> prompts = spark.read().schema(stagedSchema).parquet(output.promptsOfChunk(chunk))
                        .repartition(partitions, col(Schemas.PROMPT_ID));
                String temp = output.newTemp();
                table.writeChunk(transformer.transform(prompts), temp);
                output.commit(temp, output.generationsOfChunk(chunk));
            }, listener);
            progress.print();
        }
    }

    private static JsonObject counts(JsonArray perLambda, Map<Integer, Long> promptsPerChunk) {
        JsonObject counts = new JsonObject();
        counts.addProperty("prompts", promptsPerChunk.values().stream().mapToLong(Long::longValue).sum());
        counts.addProperty("rows", LambdaSummary.total(perLambda, "rows"));
        counts.addProperty("errors", LambdaSummary.total(perLambda, "error_rows"));
        counts.addProperty("tokens", LambdaSummary.total(perLambda, "tokens"));
        return counts;
    }

    private JsonObject modelIdentities(Map<String, String> hadoopConf) {
        JsonObject models = new JsonObject();
        models.add("ref", ModelIdentity.of(config.refModel(), hadoopConf));
        models.add("aligned", ModelIdentity.of(config.alignedModel(), hadoopConf));
        for (String model : List.of("ref", "aligned")) {
            JsonObject identity = models.getAsJsonObject(model);
            identity.addProperty("sha256", ModelStamp.digest(identity));
        }
        return models;
    }
}
