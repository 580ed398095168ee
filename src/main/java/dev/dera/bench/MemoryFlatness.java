package dev.dera.bench;

import ai.djl.ndarray.BaseNDManager;
import dev.dera.decode.BatchLimits;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.decode.StopConditions;
import dev.dera.realign.SamplingParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Live NDArrays and resident memory over a long decode while prompts keep being admitted: both must stay flat.
 * Four rows decode {@code steps} tokens; beside them short prompts of {@link #SHORT_TOKENS} tokens join the batch as
 * the ones before finish, one admission every few steps until the end.
 */
final class MemoryFlatness {
    private static final int FIRST_SAMPLE = 500;
    private static final int WINDOW = 100;
    private static final int SHORT_TOKENS = 20;
    private static final int ACTIVE_ROWS = 8;

    private MemoryFlatness() {}

    /**
     * Compares the most live arrays in the {@value #WINDOW} steps before step 500 with the most in the last ones (the
     * count moves with the admission cycle, so single samples would depend on its phase), and the resident set at
     * step 500 with the last step's.
     */
    static List<Measurement> measure(ModelPair models, String label, int steps) {
        SamplingParams sampling = new SamplingParams(1.0, 0, 1.0, 0);
        double[] lambdas = {0.5, 1.5};
        List<DecodeRequest> requests = new ArrayList<>();
        requests.add(new DecodeRequest("memory", new int[] {1, 5, 9, 13},
                new DecodeSettings(lambdas, 2, 0L, sampling, StopConditions.maxNewTokens(steps))));
        int shortPrompts = steps / SHORT_TOKENS + 2; // enough to keep joining until the long rows end
        DecodeSettings shortRows = new DecodeSettings(lambdas, 2, 0L, sampling,
                StopConditions.maxNewTokens(SHORT_TOKENS));
        for (int i = 0; i < shortPrompts; i++) {
            requests.add(new DecodeRequest("short-" + i, new int[] {1, 5 + i % 7, 9}, shortRows));
        }
        BaseNDManager manager = (BaseNDManager) models.manager();
        long[] mostArrays = new long[2];
        long[] residentKb = new long[2];
        new DeraDecoder(models, BatchLimits.continuous(ACTIVE_ROWS)).decode(requests, (step, tokens) -> {
            int window = step > FIRST_SAMPLE - WINDOW && step <= FIRST_SAMPLE ? 0
                    : step >= steps - WINDOW && step < steps ? 1 : -1;
            if (window >= 0) {
                mostArrays[window] = Math.max(mostArrays[window], manager.getManagedArrays().size());
            }
            if (step == FIRST_SAMPLE || step == steps - 1) {
                System.gc(); // the Java heap is part of the resident set; collect it the same way at both samples
                residentKb[step == FIRST_SAMPLE ? 0 : 1] = residentKilobytes();
            }
        });
        String detail = String.format(Locale.ROOT, "steps %d-%d -> %d-%d: at most %d -> %d arrays, RSS %d -> %d MB,"
                + " %d prompts of %d tokens joined", FIRST_SAMPLE - WINDOW, FIRST_SAMPLE, steps - WINDOW, steps - 1, mostArrays[0],
                mostArrays[1], residentKb[0] / 1024, residentKb[1] / 1024, shortPrompts,
                SHORT_TOKENS);
        return List.of(
                Measurement.atMost(label, "live NDArray growth over " + steps + " steps with admission",
                        mostArrays[1] - mostArrays[0], 0, detail),
                Measurement.atMost(label, "resident memory growth (MB) over " + steps + " steps with admission",
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
