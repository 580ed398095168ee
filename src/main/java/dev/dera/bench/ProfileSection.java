package dev.dera.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code dera bench --profile}: the operation profiles behind the timing targets, printed after the figures, each
 * with the bound it implies on its target's ratio.
 */
final class ProfileSection {
    private final List<OperationProfile> profiles = new ArrayList<>();
    private final List<String> bounds = new ArrayList<>();

    /**
     * A single-model and a DeRa step: were everything but the matmuls as cheap in the DeRa step as in the single
     * one, the ratio would be (single step + the DeRa step's extra matmul time) / single step.
     */
    void addSteps(OperationProfile single, OperationProfile dera) {
        profiles.add(single);
        profiles.add(dera);
        double extraMatmul = dera.perStep(OperationKind.MATMUL) - single.perStep(OperationKind.MATMUL);
        bounds.add(String.format(Locale.ROOT, "%s: the DeRa step's matmuls take %.2f ms more than the single "
                + "step's (%.2f against %.2f ms); with every other part as cheap as the single step's, DeRa step / "
                + "single-model step would be %.2f.", dera.model(), extraMatmul,
                dera.perStep(OperationKind.MATMUL), single.perStep(OperationKind.MATMUL),
                (single.wallPerStep() + extraMatmul) / single.wallPerStep()));
    }

    /**
     * The pair's forward step: its FLOP/s over a plain matmul's (measured without the profiler) is the matmuls' own
     * rate over the plain one times their share of the step, so that ratio over their share is the matmuls' own
     * rate: the most a step of nothing but these matmuls could reach.
     */
    void addForward(OperationProfile forward, double measuredRatio) {
        profiles.add(forward);
        double share = forward.perStep(OperationKind.MATMUL) / forward.wallPerStep();
        bounds.add(String.format(Locale.ROOT, "%s: the matmuls take %.0f%% of the forward step; at the measured "
                + "FLOP/s ratio of %.3f they run at %.2f of the plain matmul's rate themselves, the ceiling for a step "
                + "of matmuls alone.", forward.model(), 100 * share, measuredRatio, measuredRatio / share));
    }

    /**
     * A continuous and a static decode of the same rows: continuous batching saves steps, so it gains what a step
     * costs regardless of its rows; what grows with the rows it decodes in both.
     */
    void addDecodes(OperationProfile continuous, OperationProfile staticBatches) {
        profiles.add(continuous);
        profiles.add(staticBatches);
        bounds.add(String.format(Locale.ROOT, "%s: continuous batching took %d steps of %.2f ms, static batches %d "
                + "steps of %.2f ms; %.0f against %.0f ms in all, %.2f times faster.", continuous.model(),
                continuous.steps(), continuous.wallPerStep(), staticBatches.steps(), staticBatches.wallPerStep(),
                continuous.wallMillis(), staticBatches.wallMillis(), staticBatches.wallMillis()
                        / continuous.wallMillis()));
    }

    /** Prints the profiles' table and the bounds, nothing when none was added. */
    void print(PrintStream out) {
        if (profiles.isEmpty()) {
            return;
        }
        out.println();
        out.println("Where the time goes (PyTorch's profiler; ms per step, with its share of the step, profiler "
                + "overhead included):");
        out.println();
        out.println(OperationProfile.markdownHeader());
        profiles.forEach(profile -> out.println(profile.markdownRow()));
        out.println();
        bounds.forEach(bound -> out.println("- " + bound));
        out.flush();
    }
}
