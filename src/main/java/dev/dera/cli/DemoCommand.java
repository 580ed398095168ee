package dev.dera.cli;

import dev.dera.eval.Bootstrap;
import dev.dera.spark.ChunkListener;
import dev.dera.spark.DeraJob;
import dev.dera.spark.JobConfig;
import dev.dera.spark.PromptFiles;
import dev.dera.train.StoryCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The first command to run: dera generate on local[*] with the embedded model pair over sample prompts, then the
 * realignment report (sentiment reward, bootstrap intervals, frontier, recommended lambda), so that realignment
 * can be seen working on any machine.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run dera generate with the embedded model pair over sample prompts at lambdas 0 to 2 on"
                + " local[*], then write the realignment report (OUT/report/report.html): mean reward and KL to the"
                + " reference rise with lambda; the recommended lambda has the highest reward within a KL budget of"
                + " 10 nats.")
final class DemoCommand implements Callable<Integer> {
    static final String LAMBDAS = "0,0.25,0.5,1,1.5,2";
    /** The demo's KL budget in nats per completion: a moderate departure from the reference. */
    static final double KL_BUDGET = 10;

    @Option(names = "--out", defaultValue = "out/demo", description = "demo folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--prompts", defaultValue = "200", description = "sample prompts (default: ${DEFAULT-VALUE})")
    int prompts;

    @Option(names = "--models", defaultValue = "${sys:dera.home:-.}/models/embedded",
            description = "folder with the reference/ and aligned/ models (default: the embedded pair)")
    Path models;

    @Override
    public Integer call() {
        Path generations = out.resolve("generations");
        clearPreviousDemo(generations);
        Path input = PromptFiles.writeJsonLines(out.resolve("prompts.jsonl"), StoryCorpus.prompts(2024, prompts),
                "demo-");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("model.ref", models.resolve("reference").toString());
        settings.put("model.aligned", models.resolve("aligned").toString());
        settings.put("input.path", input.toString());
        settings.put("output.path", generations.toString());
        settings.put("decode.lambdas", LAMBDAS);
        settings.put("decode.samples", "2");
        settings.put("decode.max_new_tokens", "48");
        settings.put("sampling.temperature", "1");
        settings.put("job.chunks", "2");
        JobConfig config = JobConfig.resolve(settings);
        try (SparkSession spark = SparkSession.builder().appName("dera demo").master("local[*]")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            new DeraJob(spark, config, System.err).run(false, ChunkListener.NONE);
            System.out.println("Parquet: " + generations + "   reward: sentiment (cheerful minus gloomy words)");
            EvaluationReport.report(spark, generations.toString(), new RewardOptions(), Bootstrap.standard(0),
                    Optional.of(KL_BUDGET), Map.of(), out.resolve("report"), System.out);
        }
        return 0;
    }

    /** Removes an earlier demo's output, refusing to touch a folder that dera generate did not write. */
    private static void clearPreviousDemo(Path generations) {
        if (!Files.exists(generations)) {
            return;
        }
        if (!Files.exists(generations.resolve("_dera_manifest.json"))) {
            throw new IllegalArgumentException(generations + " exists and is not a dera output; choose another --out");
        }
        try (Stream<Path> paths = Files.walk(generations)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the previous demo output " + generations, e);
        }
    }
}
