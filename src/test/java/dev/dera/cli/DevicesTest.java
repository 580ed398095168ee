package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.dera.lm.ModelConfigException;
import dev.dera.spark.TaskDevices;
import dev.dera.testing.SharedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** --device names, and a GPU that PyTorch does not see: one line, no CPU fallback. */
class DevicesTest {

    @Test
    void namesParseToDevicesAndAVisibleGpuIsAccepted() {
        assertEquals(Device.cpu(), Devices.parse(" CPU ", () -> {
            throw new AssertionError("CUDA must not be probed for the CPU");
        }));
        assertEquals(Device.gpu(0), Devices.parse("gpu", () -> 1));
        assertEquals(Device.gpu(1), Devices.parse("cuda:1", () -> 2));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu:x", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu:-1", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu", () -> 1));
    }

    @Test
    void aGpuThatPyTorchDoesNotSeeIsRefused() {
        ModelConfigException error = assertThrows(ModelConfigException.class, () -> Devices.parse("gpu:2", () -> 2));
        assertTrue(error.getMessage().startsWith("device gpu:2 was asked for but PyTorch reports only 2 CUDA"),
                error.getMessage());
    }

    @Test
    void completeOnAGpuWithoutCudaIsOneLineAndStatusTwo() {
        assumeTrue(TaskDevices.cudaDeviceCount() == 0, "this machine has a GPU");
        StringWriter err = new StringWriter();
        int status = DeraCli.commandLine().setErr(new PrintWriter(err)).execute("complete", "--model",
                SharedModels.reference().toString(), "--prompt", "Once", "--device", "gpu:1");
        assertEquals(2, status, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("dera: device gpu:1 was asked for but PyTorch reports no CUDA device"),
                err.toString());
    }
}
