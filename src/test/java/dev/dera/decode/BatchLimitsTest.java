package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {
    @Test
    void theDeviceDecidesTheRowsUnlessTheyAreSet() {
        assertEquals(BatchLimits.CPU_ACTIVE_ROWS,
                BatchLimits.forPartition(0, 1_000_000, 8, 20, 44, 2048, Device.cpu()).maxActiveRows());
        assertEquals(BatchLimits.GPU_ACTIVE_ROWS,
                BatchLimits.forPartition(0, 1_000_000, 8, 20, 44, 2048, Device.gpu(1)).maxActiveRows());
        assertEquals(5, BatchLimits.forPartition(5, 1_000_000, 8, 20, 44, 2048, Device.cpu()).maxActiveRows());
    }

    @Test
    void theCacheBudgetBoundsRowsOfTheLongestPromptPlusNewTokens() {
        BatchLimits limits = BatchLimits.forPartition(100, 640, 8, 20, 44, 2048, Device.cpu());
        assertEquals(10, limits.maxActiveRows(), "640 slots / (20 + 44) per row");
        assertEquals(8, limits.maxPrefillPrompts());
        assertEquals(BatchLimits.Admission.CONTINUOUS, limits.admission());
        assertEquals(20, BatchLimits.forPartition(100, 640, 8, 20, 44, 32, Device.cpu()).maxActiveRows(),
                "a row never holds more than the context");
        assertEquals(1, BatchLimits.forPartition(100, 10, 8, 20, 44, 2048, Device.cpu()).maxActiveRows(),
                "a prompt over the budget still decodes, one row at a time");
    }

    @Test
    void limitsArePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new BatchLimits(0, 1, 1, BatchLimits.Admission.CONTINUOUS));
    }
}
