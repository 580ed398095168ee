package dev.dera.cli;

import dev.dera.train.ModelPairTrainer;
import dev.dera.train.WeightsFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Regenerates the embedded reference/aligned model pair, or runs only the alignment step against a reference. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the embedded model pair from scratch: a tiny Llama reference (SFT) on a generated"
                + " story corpus, then an aligned copy with DPO on preference pairs sampled from the reference and"
                + " ranked by a sentiment reward. Writes OUT/reference and OUT/aligned.",
            "With --reference DIR, run only the alignment step against that model and write the aligned model to"
                + " OUT (with --reward-labels, DPO's optimum is the KL-regularized pi_ref * exp(r / beta) / Z).",
            "Reproducibility: training runs PyTorch on one thread with every random draw seeded, so the same options"
                + " give bit-identical weights on the same CPU model with the same software. Another x86-64 CPU can"
                + " give different weights, because PyTorch and its math library choose vector kernels (AVX2,"
                + " AVX-512) by CPU and these round differently (ATEN_CPU_CAPABILITY=default alone changes the weights on"
                + " one machine). The sha256 lines at the end are those of"
                + " sha256sum OUT/*/model.safetensors; compare them, not the promise."})
final class TrainCommand implements Callable<Integer> {
    private static final ModelPairTrainer.Plan DEFAULTS = ModelPairTrainer.Plan.defaults();

    @Option(names = "--out", required = true,
            description = "output folder (gets reference/ and aligned/; with --reference, the aligned model)")
    Path out;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "align against this reference model folder only (no SFT)")
    Path reference;

    @Option(names = "--seed", description = "seed of everything random (default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--sft-steps", description = "reference training steps (default: ${DEFAULT-VALUE})")
    int sftSteps = DEFAULTS.sftSteps();

    @Option(names = "--dpo-steps", description = "DPO steps (default: ${DEFAULT-VALUE})")
    int dpoSteps = DEFAULTS.dpoSteps();

    @Option(names = "--dpo-prompts", description = "prompts sampled for preference pairs (default: ${DEFAULT-VALUE})")
    int dpoPrompts = DEFAULTS.dpoPrompts();

    @Option(names = "--beta", description = "DPO KL strength beta (default: ${DEFAULT-VALUE})")
    double beta = DEFAULTS.beta();

    @Option(names = "--learning-rate", description = "DPO learning rate with --reference (default: ${DEFAULT-VALUE})")
    double learningRate = 1e-3;

    @Option(names = "--reward-labels",
            description = "with --reference: soft labels sigmoid(reward margin) instead of hard ones, so that the"
                    + " loss has its minimum at pi_ref * exp(r / beta) / Z and the printed excess loss shows"
                    + " convergence")
    boolean rewardLabels;

    @Override
    public Integer call() {
        ModelPairTrainer.Plan plan = new ModelPairTrainer.Plan(seed, DEFAULTS.stories(), sftSteps, dpoPrompts,
                dpoSteps, beta, DEFAULTS.reward());
        if (reference != null) {
            ModelPairTrainer.AlignmentResult result =
                    ModelPairTrainer.alignToReference(reference, out, plan, learningRate, rewardLabels, System.out);
            result.curve().stream().reduce((first, last) -> last).ifPresent(end -> System.out.printf(Locale.ROOT,
                    "last %d steps: loss %.4f, excess over the optimum %.4f, implicit reward margin %.4f"
                            + " (reward margin %.4f)%n", end.step() - previousStep(result), end.loss(),
                    end.excessLoss(), end.implicitMargin(), end.rewardMargin()));
            System.out.println("convergence curve: " + out.resolve(ModelPairTrainer.CURVE_FILE));
            System.out.println(WeightsFile.sha256sumLine(out));
            return 0;
        }
        if (rewardLabels) {
            throw new IllegalArgumentException("--reward-labels applies to --reference runs only; the embedded pair is"
                    + " trained with hard labels");
        }
        ModelPairTrainer.train(plan, out, System.out);
        System.out.println(WeightsFile.sha256sumLine(out.resolve(ModelPairTrainer.REFERENCE)));
        System.out.println(WeightsFile.sha256sumLine(out.resolve(ModelPairTrainer.ALIGNED)));
        return 0;
    }

    private static int previousStep(ModelPairTrainer.AlignmentResult result) {
        int points = result.curve().size();
        return points < 2 ? 0 : result.curve().get(points - 2).step();
    }
}
