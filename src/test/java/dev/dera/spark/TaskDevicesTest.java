package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.dera.lm.ModelConfigException;
import org.junit.jupiter.api.Test;

class TaskDevicesTest {
    private static final String[] NONE = new String[0];

    @Test
    void theFirstAssignedAddressIsTheCudaOrdinal() {
        assertEquals(Device.gpu(1), TaskDevices.forAddresses(new String[] {"1"}, () -> 2, false));
        assertEquals(Device.gpu(3), TaskDevices.forAddresses(new String[] {"3", "0"}, () -> 4, false));
    }

    @Test
    void noAddressMeansCpuWithoutAskingForCuda() {
        assertEquals(Device.cpu(), TaskDevices.forAddresses(NONE, () -> {
            throw new AssertionError("CUDA must not be probed without a GPU");
        }, false));
    }

    @Test
    void anAssignedGpuWithoutCudaFailsWithOneLineNamingTheGpuAndTheCause() {
        ModelConfigException error = assertThrows(ModelConfigException.class,
                () -> TaskDevices.forAddresses(new String[] {"1"}, () -> 0, false));
        assertTrue(error.getMessage().startsWith("task assigned GPU 1 but PyTorch reports no CUDA device"),
                error.getMessage());
        assertTrue(error.getMessage().contains(TaskDevices.CPU_FALLBACK), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }

    @Test
    void anAssignedGpuBeyondTheVisibleOnesFails() {
        ModelConfigException error = assertThrows(ModelConfigException.class,
                () -> TaskDevices.forAddresses(new String[] {"2"}, () -> 2, false));
        assertTrue(error.getMessage().contains("GPU 2") && error.getMessage().contains("only 2 CUDA devices (0..1)"),
                error.getMessage());
    }

    @Test
    void theCpuFallbackIsTakenOnlyWhenSetAndOnlyWhenTheGpuIsMissing() {
        assertEquals(Device.cpu(), TaskDevices.forAddresses(new String[] {"1"}, () -> 0, true));
        assertEquals(Device.gpu(1), TaskDevices.forAddresses(new String[] {"1"}, () -> 2, true));
    }

    @Test
    void theFallbackSettingIsTrueOrFalseAndNothingElse() {
        assertTrue(TaskDevices.cpuFallback(" TRUE "));
        assertFalse(TaskDevices.cpuFallback("false"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskDevices.cpuFallback("yes"));
        assertTrue(error.getMessage().contains(TaskDevices.CPU_FALLBACK), error.getMessage());
    }

    @Test
    void aNamedGpuIsCheckedAndTheCpuIsNot() {
        assertEquals(Device.gpu(0), TaskDevices.checked(Device.gpu(0), () -> 1));
        assertEquals(Device.cpu(), TaskDevices.checked(Device.cpu(), () -> {
            throw new AssertionError("CUDA must not be probed for the CPU");
        }));
        ModelConfigException error = assertThrows(ModelConfigException.class,
                () -> TaskDevices.checked(Device.gpu(1), () -> 0));
        assertTrue(error.getMessage().startsWith("device gpu:1 was asked for but PyTorch reports no CUDA device"),
                error.getMessage());
    }

    @Test
    void anAddressThatIsNoIndexIsRejectedWithAHint() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskDevices.forAddresses(new String[] {"GPU-5fd1c2"}, () -> 1, false));
        assertTrue(error.getMessage().contains("discovery"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TaskDevices.forAddresses(new String[] {"-1"}, () -> 1, false));
    }

    @Test
    void outsideASparkTaskThereIsNoGpuAndTheDeviceIsCpu() {
        assertEquals(0, TaskDevices.assignedGpus().length);
        assertEquals(Device.cpu(), TaskDevices.forTask());
    }

    @Test
    void thisMachinesPyTorchSeesNoCudaSoGpuZeroIsRefused() {
        assumeTrue(TaskDevices.cudaDeviceCount() == 0, "this machine has a GPU");
        assertThrows(ModelConfigException.class,
                () -> TaskDevices.checked(Device.gpu(0), TaskDevices::cudaDeviceCount));
    }
}
