package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class TaskDevicesTest {
    @Test
    void theFirstAssignedGpuAddressIsTheDevice() {
        Map<String, ResourceInformation> resources =
                Map.of("gpu", new ResourceInformation("gpu", new String[] {"3", "1"}));
        assertEquals(Device.gpu(3), TaskDevices.fromResources(resources));
    }

    @Test
    void withoutAGpuResourceTheTaskRunsOnTheCpu() {
        assertEquals(Device.cpu(), TaskDevices.fromResources(Map.of()));
        assertEquals(Device.cpu(), TaskDevices.fromResources(null));
        assertEquals(Device.cpu(), TaskDevices.fromResources(
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
        assertEquals(Device.cpu(), TaskDevices.fromGpuAddresses(new String[0]));
        assertEquals(Device.cpu(), TaskDevices.current(), "outside a task");
    }

    @Test
    void anAddressThatIsNotAnIndexIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TaskDevices.fromGpuAddresses(new String[] {"GPU-8f2c"}));
        assertEquals(true, e.getMessage().contains("discovery script"));
    }
}
