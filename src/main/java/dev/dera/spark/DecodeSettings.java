package dev.dera.spark;

import dev.dera.decode.StopConditions;
import dev.dera.lm.ComputeType;
import dev.dera.realign.SamplingParams;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an executor task needs to decode its prompts: plain serializable values only, no driver state. Built on the
 * driver from a {@link JobConfig} or the {@link DeraTransformer}'s params.
 *
 * @param hadoopConf the driver's {@code spark.hadoop.*} settings (prefix removed), for reading model folders on
 *     hdfs:// or s3a:// from executors
 */
public record DecodeSettings(
        String refModel,
        String alignedModel,
        ComputeType computeType,
        double[] lambdas,
        int samples,
        long seed,
        int maxNewTokens,
        double temperature,
        int topK,
        double topP,
        double minP,
        List<String> stopStrings,
        boolean truncateLeft,
        int batchMaxTokens,
        int batchMaxPrompts,
        int batchMaxActiveRows,
        Map<String, String> hadoopConf) implements Serializable {

    public DecodeSettings {
        lambdas = lambdas.clone();
        stopStrings = List.copyOf(stopStrings);
        hadoopConf = Map.copyOf(hadoopConf);
        new SamplingParams(temperature, topK, topP, minP); // validates; fields are assigned after this body
        new StopConditions(maxNewTokens, Set.of(), stopStrings);
        if (batchMaxActiveRows < 0) {
            throw new IllegalArgumentException("batch.max_active_rows must be >= 0 (0 = the device's default), got "
                    + batchMaxActiveRows);
        }
    }

    static DecodeSettings from(JobConfig config, Map<String, String> hadoopConf) {
        SamplingParams sampling = config.sampling();
        return new DecodeSettings(config.refModel(), config.alignedModel(), config.computeType(), config.lambdas(),
                config.samples(), config.seed(), config.maxNewTokens(), sampling.temperature(), sampling.topK(),
                sampling.topP(), sampling.minP(), config.stopStrings(), config.truncateLeft(), config.batchMaxTokens(),
                config.batchMaxPrompts(), config.batchMaxActiveRows(), hadoopConf);
    }

    SamplingParams sampling() {
        return new SamplingParams(temperature, topK, topP, minP);
    }

    StopConditions stop() {
        return new StopConditions(maxNewTokens, Set.of(), stopStrings);
    }

    /** Output rows per prompt: one per (lambda, sample). */
    int rowsPerPrompt() {
        return lambdas.length * samples;
    }
}
