package dev.dera.cli;

import dev.dera.eval.Bootstrap;
import dev.dera.eval.LambdaTable;
import dev.dera.eval.RealignmentReport.Retrained;
import dev.dera.spark.ChunkListener;
import dev.dera.spark.DeraJob;
import dev.dera.spark.JobConfig;
import dev.dera.spark.OutputEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --retrained B=DIR,...}: models aligned at other betas, each decoded by dera generate at lambda 1 against
 * the same reference, over the same prompts with the same sampling and seed as the output being reported, then
 * scored like it.
 */
final class RetrainedModels {
    private RetrainedModels() {}

    /** Parses {@code B=DIR,...} into beta and folder, in the order given. */
    static Map<Double, Path> parse(String spec) {
        Map<Double, Path> models = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] parts = entry.split("=", 2);
            double beta;
            try {
                beta = Double.parseDouble(parts[0].trim());
            } catch (NumberFormatException e) {
                beta = Double.NaN;
            }
            if (parts.length != 2 || !(beta > 0) || Double.isInfinite(beta) || parts[1].isBlank()) {
                throw new IllegalArgumentException("--retrained takes BETA=DIR pairs separated by commas, e.g."
                        + " 0.2=models/beta0.2,0.05=models/beta0.05; got '" + entry + "'");
            }
            models.put(beta, Path.of(parts[1].trim()));
        }
        return models;
    }

    /**
     * Decodes each model into {@code outDir/retrained/beta=B} (completing an earlier, identical decode there) and
     * returns its row of the table.
     */
    static List<Retrained> decodeAndScore(SparkSession spark, String input, Map<Double, Path> models,
            RewardOptions reward, Bootstrap bootstrap, Path outDir) {
        List<Retrained> rows = new ArrayList<>();
        if (models.isEmpty()) {
            return rows;
        }
        Map<String, String> run = OutputEvaluation.runSettings(spark, input);
        models.forEach((beta, model) -> {
            Path output = outDir.resolve("retrained").resolve("beta=" + LambdaTable.trim(beta));
            Map<String, String> settings = new LinkedHashMap<>(run);
            settings.put("model.aligned", model.toString());
            settings.put("decode.lambdas", "1");
            settings.put("output.path", output.toString());
            new DeraJob(spark, JobConfig.resolve(settings), System.err).run(Files.exists(output), ChunkListener.NONE);
            LambdaTable.LambdaRow row = LambdaTable.summarize(reward.score(spark, output.toString()),
                    Optional.of(bootstrap)).get(0);
            rows.add(new Retrained(beta, model.toString(), row));
        });
        return rows;
    }
}
