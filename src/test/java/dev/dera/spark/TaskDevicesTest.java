package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class TaskDevicesTest {
    private static final String[] NONE = new String[0];

    @Test
    void theFirstAssignedAddressIsTheCudaOrdinal() {
        assertEquals(Device.gpu(1), TaskDevices.forAddresses(new String[] {"1"}, () -> true));
        assertEquals(Device.gpu(3), TaskDevices.forAddresses(new String[] {"3", "0"}, () -> true));
    }

    @Test
    void noAddressMeansCpuWithoutAskingForCuda() {
        assertEquals(Device.cpu(), TaskDevices.forAddresses(NONE, () -> {
            throw new AssertionError("CUDA must not be probed without a GPU");
        }));
    }

    @Test
    void anAssignedGpuFallsBackToCpuWithoutCuda() {
        assertEquals(Device.cpu(), TaskDevices.forAddresses(new String[] {"1"}, () -> false));
    }

    @Test
    void anAddressThatIsNoIndexIsRejectedWithAHint() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskDevices.forAddresses(new String[] {"GPU-5fd1c2"}, () -> true));
        assertTrue(error.getMessage().contains("discovery"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskDevices.forAddresses(new String[] {"-1"}, () -> true));
    }

    @Test
    void outsideASparkTaskThereIsNoGpuAndTheDeviceIsCpu() {
        assertEquals(0, TaskDevices.assignedGpus().length);
        assertEquals(Device.cpu(), TaskDevices.forTask());
    }
}
