package dev.dera.bench;

import ai.djl.ndarray.BaseNDManager;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.decode.StopConditions;
import dev.dera.realign.SamplingParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Live NDArrays and resident memory over a long decode: both must stay flat. */
final class MemoryFlatness {
    private static final int FIRST_SAMPLE = 500;

    private MemoryFlatness() {}

    /** Decodes {@code steps} tokens on a few rows and compares step 500 with the last step. */
    static List<Measurement> measure(ModelPair models, String label, int steps) {
        int[] prompt = {1, 5, 9, 13};
        DecodeRequest request = new DecodeRequest("memory", prompt, new double[] {0.5, 1.5}, 2,
                new SamplingParams(1.0, 0, 1.0, 0), StopConditions.maxNewTokens(steps), 0L);
        BaseNDManager manager = (BaseNDManager) models.manager();
        long[] arrays = new long[2];
        long[] residentKb = new long[2];
        new DeraDecoder(models).decode(List.of(request), (step, tokens) -> {
            int slot = step == FIRST_SAMPLE ? 0 : step == steps - 1 ? 1 : -1;
            if (slot >= 0) {
                System.gc(); // the Java heap is part of the resident set; collect it the same way at both samples
                arrays[slot] = manager.getManagedArrays().size();
                residentKb[slot] = residentKilobytes();
            }
        });
        String detail = String.format(Locale.ROOT, "step %d -> %d: %d -> %d arrays, RSS %d -> %d MB", FIRST_SAMPLE,
                steps - 1, arrays[0], arrays[1], residentKb[0] / 1024, residentKb[1] / 1024);
        return List.of(
                Measurement.atMost(label, "live NDArray growth over " + steps + " steps", arrays[1] - arrays[0], 0,
                        detail),
                Measurement.atMost(label, "resident memory growth (MB) over " + steps + " steps",
                        (residentKb[1] - residentKb[0]) / 1024.0, 32, detail));
    }

    private static long residentKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
