package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** batch.max_active_rows from the config to the Transformer and the executors' settings. */
class MaxActiveRowsTest {
    private static final Map<String, String> REQUIRED = Map.of("model.ref", "/m/ref", "model.aligned", "/m/aligned",
            "input.path", "/data/prompts.jsonl", "output.path", "/data/out");

    @Test
    void zeroByDefaultMeaningTheDevicesDefault() {
        assertEquals(0, JobConfig.resolve(REQUIRED).batchMaxActiveRows());
    }

    @Test
    void aSetValueReachesTheTransformerAndTheExecutorSettings() {
        JobConfig config = JobConfig.resolve(REQUIRED, Map.of("batch.max_active_rows", "24"));
        assertEquals(24, config.batchMaxActiveRows());
        assertEquals(24, DeraTransformer.fromConfig(config).getBatchMaxActiveRows());
        assertEquals(24, DeraTransformer.fromConfig(config).settings(Map.of()).batchMaxActiveRows());
    }

    @Test
    void aNegativeValueIsRejectedWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.resolve(REQUIRED, Map.of("batch.max_active_rows", "-1")));
        assertTrue(e.getMessage().contains("batch.max_active_rows"), e.getMessage());
    }
}
