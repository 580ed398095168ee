package dev.dera.cli;

import ai.djl.Device;
import java.util.Locale;

/** Parses device names as users write them: cpu, gpu, gpu:N, cuda:N. */
final class Devices {
    private Devices() {}

    static Device parse(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("cpu")) {
            return Device.cpu();
        }
        String[] parts = lower.split(":", 2);
        if (parts[0].equals("gpu") || parts[0].equals("cuda")) {
            try {
                return Device.gpu(parts.length == 1 ? 0 : Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad GPU index in device \"" + name + "\"; use gpu:N");
            }
        }
        throw new IllegalArgumentException("unknown device \"" + name + "\"; use cpu or gpu:N");
    }
}
