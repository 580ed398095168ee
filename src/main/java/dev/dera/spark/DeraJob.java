package dev.dera.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Driver side of {@code dera generate}. Reads like the data flow: validate the prompts and stage them in chunks
 * (by hash of prompt_id), decode each chunk not yet committed with a {@link DeraTransformer} and commit it with
 * one rename, then publish the table and the manifest. A crash loses at most the chunks in flight; a resumed run
 * decodes only the missing chunks (docs/EXACTLY_ONCE.md).
 */
public final class DeraJob {
    private final SparkSession spark;
    private final JobConfig config;
    private final PrintStream log;
    private final OutputFolder output;

    public DeraJob(SparkSession spark, JobConfig config, PrintStream log) {
        this.spark = spark;
        this.config = config;
        this.log = log;
        this.output = new OutputFolder(config.outputPath(), spark.sparkContext().hadoopConfiguration());
    }

    /** Runs (or with {@code resume}, completes) the job; returns the finished manifest. */
    public JsonObject run(boolean resume, ChunkListener listener) {
        long started = System.currentTimeMillis();
        DeraTransformer transformer = DeraTransformer.fromConfig(config);
        transformer.validate(spark);
        JsonObject manifest = openManifest(resume);
        if (RunManifest.isComplete(manifest)) {
            log.println("dera: " + output.root() + " is already complete");
            output.deleteWork();
            return manifest;
        }
        // Bad input fails here, before the output folder exists, so a fixed input runs with the same command.
        Optional<Dataset<Row>> promptsToStage = output.promptsStaged() ? Optional.empty() : Optional.of(validPrompts());
        Map<String, String> hadoopConf = DeraTransformer.hadoopConf(spark);
        CompletableFuture<JsonObject> models = CompletableFuture.supplyAsync(() -> modelIdentities(hadoopConf));
        RunManifest.addApplicationId(manifest, spark.sparkContext().applicationId());
        output.writeManifest(RunManifest.toJson(manifest));

        promptsToStage.ifPresent(this::stagePrompts);
        long staged = System.currentTimeMillis();
        decodeMissingChunks(transformer, listener);
        long decoded = System.currentTimeMillis();
        Dataset<Row> generations = spark.read().schema(Schemas.GENERATIONS).parquet(committedChunkPaths());
        JsonArray perLambda = LambdaSummary.of(generations);
        publish(generations);
        long published = System.currentTimeMillis();

        JsonObject timings = new JsonObject();
        timings.addProperty("validate_and_stage", staged - started);
        timings.addProperty("decode", decoded - staged);
        timings.addProperty("publish", published - decoded);
        timings.addProperty("total", published - started);
        RunManifest.finish(manifest, models.join(), counts(perLambda), timings, perLambda);
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

    private JsonObject openManifest(boolean resume) {
        if (!output.exists()) {
            return RunManifest.started(config, spark.version());
        }
        if (!resume) {
            throw new IllegalArgumentException("output " + output.root() + " already exists; pass --resume to"
                    + " complete an interrupted run there, or choose a new output folder");
        }
        JsonObject manifest = RunManifest.parse(output.readManifest().orElseThrow(() ->
                new IllegalArgumentException("cannot resume: " + output.root() + " has no "
                        + OutputFolder.MANIFEST + ", so it was not written by dera generate")));
        RunManifest.requireSameResults(manifest, config);
        return manifest;
    }

    /** The input prompts, checked for the columns the job needs and for unique prompt_ids. */
    private Dataset<Row> validPrompts() {
        Dataset<Row> prompts = ChatPrompts.render(PromptInput.read(spark, config.inputPath(), config.inputFormat()),
                config, DeraTransformer.hadoopConf(spark));
        PromptInput.requireUniqueIds(prompts, config.inputPath());
        return prompts;
    }

    private void stagePrompts(Dataset<Row> prompts) {
        String temp = output.newTemp();
        prompts.withColumn("chunk", pmod(xxhash64(col(Schemas.PROMPT_ID)), lit(config.chunks())))
                .write().partitionBy("chunk").parquet(temp);
        output.commit(temp, output.stagedPrompts());
    }

    private void decodeMissingChunks(DeraTransformer transformer, ChunkListener listener) {
        TreeSet<Integer> missing = output.stagedChunks();
        missing.removeAll(output.committedChunks());
        Map<Integer, Long> promptsPerChunk = promptsPerChunk();
        long rows = missing.stream().mapToLong(promptsPerChunk::get).sum()
                * config.lambdas().length * config.samples();
        DecodeCounters counters = DecodeCounters.register(spark.sparkContext());
        transformer.setCounters(counters);
        int partitions = config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
        try (ProgressReporter progress = new ProgressReporter(counters, rows, config.progressSeconds(), log)) {
            for (int chunk : missing) {
                Dataset<Row> prompts = spark.read().parquet(output.promptsOfChunk(chunk))
                        .repartition(partitions, col(Schemas.PROMPT_ID));
                String temp = output.newTemp();
                transformer.transform(prompts).write().parquet(temp);
                output.commit(temp, output.generationsOfChunk(chunk));
                listener.committed(chunk);
            }
            progress.print();
        }
    }

    private Map<Integer, Long> promptsPerChunk() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (Row row : spark.read().parquet(output.stagedPrompts()).groupBy("chunk").count().collectAsList()) {
            counts.put(row.getInt(0), row.getLong(1));
        }
        return counts;
    }

    private String[] committedChunkPaths() {
        return output.committedChunks().stream().map(output::generationsOfChunk).toArray(String[]::new);
    }

    /** Writes the table from the committed chunks, replacing whatever an interrupted publication left. */
    private void publish(Dataset<Row> generations) {
        output.deletePublished();
        if (config.outputFormat().equals("json")) {
            generations.write().mode(SaveMode.Append).json(output.root());
        } else {
            generations.write().mode(SaveMode.Append).partitionBy(Schemas.LAMBDA).parquet(output.root());
        }
    }

    private JsonObject counts(JsonArray perLambda) {
        JsonObject counts = new JsonObject();
        counts.addProperty("prompts", promptsPerChunk().values().stream().mapToLong(Long::longValue).sum());
        counts.addProperty("rows", LambdaSummary.total(perLambda, "rows"));
        counts.addProperty("errors", LambdaSummary.total(perLambda, "errors"));
        counts.addProperty("tokens", LambdaSummary.total(perLambda, "tokens"));
        return counts;
    }

    private JsonObject modelIdentities(Map<String, String> hadoopConf) {
        JsonObject models = new JsonObject();
        models.add("ref", ModelIdentity.of(config.refModel(), hadoopConf));
        models.add("aligned", ModelIdentity.of(config.alignedModel(), hadoopConf));
        return models;
    }
}
