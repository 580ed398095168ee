package dev.dera.spark;

import dev.dera.decode.DecodeSettings;
import dev.dera.lm.ComputeType;
import java.io.Serializable;
import java.util.Map;

/**
 * What an executor task needs to decode its prompts: plain serializable values only, no driver state. Built on the
 * driver from the {@link DeraTransformer}'s params.
 *
 * @param decode how every prompt is decoded (lambdas, samples, seed, sampling, stopping)
 * @param batchMaxTokens token budget of the active rows' KV cache; batch limits change speed, never the output
 * @param batchMaxActiveRows rows decoding at once, 0 for the device's default
 * @param hadoopConf the driver's {@code spark.hadoop.*} settings (prefix removed), for reading model folders on
 *     hdfs:// or s3a:// from executors
 */
public record TaskSettings(
        String refModel,
        String alignedModel,
        ComputeType computeType,
        DecodeSettings decode,
        boolean truncateLeft,
        int batchMaxTokens,
        int batchMaxPrompts,
        int batchMaxActiveRows,
        Map<String, String> hadoopConf) implements Serializable {

    public TaskSettings {
        hadoopConf = Map.copyOf(hadoopConf);
        if (batchMaxActiveRows < 0) {
            throw new IllegalArgumentException("batch.max_active_rows must be >= 0 (0 = the device's default), got "
                    + batchMaxActiveRows);
        }
    }
}
