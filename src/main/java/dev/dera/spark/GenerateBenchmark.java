package dev.dera.spark;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.dera.decode.BatchLimits;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.train.StoryCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code dera generate} end to end on {@code local[2]} against the bare decoder on the same prompts, settings and
 * batch: what Spark, the input and output and the chunk commits cost.
 *
 * @param maxNewTokens tokens generated per row (greedy, no eos in practice on short runs)
 * @param jobSeconds wall time of the whole job, Spark session start excluded
 * @param bareSeconds wall time of tokenizing and decoding the same prompts in one thread
 * @param jobPhases where the job's time went, from its manifest's timings (validate and stage, decode, publish)
 */
public record GenerateBenchmark(int prompts, int rows, int maxNewTokens, double jobSeconds, double bareSeconds,
        String jobPhases) {
    private static final long PROMPT_SEED = 5;
    /** One commit unit per 500 prompts: a crash would lose at most that much work. */
    private static final int CHUNKS = 2;

    /** Runs both on {@code promptCount} story openings (greedy, lambdas 0 and 1, 2 chunks). */
    public static GenerateBenchmark run(Path referenceModel, Path alignedModel, int promptCount, int maxNewTokens,
            Path work) {
        Path input = PromptFiles.writeJsonLines(work.resolve("prompts.jsonl"),
                StoryCorpus.prompts(PROMPT_SEED, promptCount), "p");
        JobConfig config = JobConfig.resolve(Map.of("model.ref", referenceModel.toString(),
                "model.aligned", alignedModel.toString(), "input.path", input.toString(),
                "output.path", work.resolve("out").toString(), "decode.lambdas", "0,1",
                "decode.max_new_tokens", String.valueOf(maxNewTokens), "job.chunks", String.valueOf(CHUNKS),
                "job.master", "local[2]"));
        // The bare decoder goes first, after one untimed batch, so that neither side inherits the other's
        // warm JIT: the job's executor shares this JVM.
        double bareSeconds = bareSeconds(config, promptCount);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("dera bench generate")
                .config("spark.ui.enabled", "false").getOrCreate();
        double jobSeconds;
        JsonObject manifest;
        try {
            long start = System.nanoTime();
            manifest = new DeraJob(spark, config, new PrintStream(new ByteArrayOutputStream()))
                    .run(false, ChunkListener.NONE);
            jobSeconds = (System.nanoTime() - start) / 1e9;
        } finally {
            spark.stop();
        }
        int rows = promptCount * config.decode().lambdas().length;
        return new GenerateBenchmark(promptCount, rows, maxNewTokens, jobSeconds, bareSeconds,
                phases(manifest.getAsJsonObject("timings_ms")));
    }

    private static String phases(JsonObject timingsMs) {
        return String.format(Locale.ROOT, "validate and stage %.1f s, decode %.1f s, publish %.1f s",
                timingsMs.get("validate_and_stage").getAsLong() / 1e3, timingsMs.get("decode").getAsLong() / 1e3,
                timingsMs.get("publish").getAsLong() / 1e3);
    }

    /** The job's own work without Spark: same tokenizer, length sort, batch limits and decoder. */
    private static double bareSeconds(JobConfig config, int promptCount) {
        DecodeSettings settings = config.decode();
        try (ModelPair models = ModelPair.load(Path.of(config.refModel()), Path.of(config.alignedModel()),
                Device.cpu(), config.computeType())) {
            DeraDecoder decoder = new DeraDecoder(models);
            List<String> warmUp = StoryCorpus.prompts(PROMPT_SEED + 1, config.batchMaxPrompts());
            decoder.decode(warmUp.stream().map(p -> new DecodeRequest(p, models.tokenizer().encode(p), settings))
                    .toList());
            long start = System.nanoTime();
            List<DecodeRequest> requests = new ArrayList<>();
            List<String> prompts = StoryCorpus.prompts(PROMPT_SEED, promptCount);
            for (int i = 0; i < prompts.size(); i++) {
                requests.add(new DecodeRequest("p" + i, models.tokenizer().encode(prompts.get(i)), settings));
            }
            requests.sort(Comparator.comparingInt(r -> r.promptIds().length));
            int longest = requests.get(requests.size() - 1).promptIds().length;
            BatchLimits limits = BatchLimits.forPartition(config.batchMaxActiveRows(), config.batchMaxTokens(),
                    config.batchMaxPrompts(), longest, settings.maxNewTokens(), models.contextLength(), Device.cpu());
            new DeraDecoder(models, limits).decode(requests);
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
