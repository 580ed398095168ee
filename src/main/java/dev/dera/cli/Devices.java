package dev.dera.cli;

import ai.djl.Device;
import dev.dera.spark.TaskDevices;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Parses device names as users write them: cpu, gpu, gpu:N, cuda:N. A GPU that PyTorch does not see fails with one
 * line: the commands never fall back to the CPU on their own.
 */
final class Devices {
    private Devices() {}

    static Device parse(String name) {
        return parse(name, TaskDevices::cudaDeviceCount);
    }

    /** {@link #parse(String)} with the number of CUDA devices PyTorch sees from {@code cudaDevices}. */
    static Device parse(String name, IntSupplier cudaDevices) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("cpu")) {
            return Device.cpu();
        }
        String[] parts = lower.split(":", 2);
        if (parts[0].equals("gpu") || parts[0].equals("cuda")) {
            int index;
            try {
                index = parts.length == 1 ? 0 : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad GPU index in device \"" + name + "\"; use gpu:N");
            }
            if (index < 0) {
                throw new IllegalArgumentException("bad GPU index in device \"" + name + "\"; use gpu:N, N >= 0");
            }
            return TaskDevices.checked(Device.gpu(index), cudaDevices);
        }
        throw new IllegalArgumentException("unknown device \"" + name + "\"; use cpu or gpu:N");
    }
}
