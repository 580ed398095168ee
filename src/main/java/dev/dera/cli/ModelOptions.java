package dev.dera.cli;

import ai.djl.Device;
import dev.dera.lm.ComputeType;
import picocli.CommandLine.Option;

/** Where and in which precision models run: shared by every command that loads a model. */
final class ModelOptions {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float16 (default: ${DEFAULT-VALUE})")
    String dtype;

    Device device() {
        return Devices.parse(device);
    }

    ComputeType computeType() {
        return ComputeType.parse(dtype);
    }
}
