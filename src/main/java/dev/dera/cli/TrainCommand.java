package dev.dera.cli;

import dev.dera.train.ModelPairTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Regenerates the embedded reference/aligned model pair, deterministically. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the embedded model pair from scratch: a tiny Llama reference (SFT) on a generated"
                + " story corpus, then an aligned copy with DPO on preference pairs sampled from the reference and"
                + " ranked by a sentiment reward. Writes OUT/reference and OUT/aligned; the same options give"
                + " the same weights.")
final class TrainCommand implements Callable<Integer> {
    private static final ModelPairTrainer.Plan DEFAULTS = ModelPairTrainer.Plan.defaults();

    @Option(names = "--out", required = true, description = "output folder (gets reference/ and aligned/)")
    Path out;

    @Option(names = "--seed", description = "seed of everything random (default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--sft-steps", description = "reference training steps (default: ${DEFAULT-VALUE})")
    int sftSteps = DEFAULTS.sftSteps();

    @Option(names = "--dpo-steps", description = "DPO steps (default: ${DEFAULT-VALUE})")
    int dpoSteps = DEFAULTS.dpoSteps();

    @Option(names = "--beta", description = "DPO KL strength beta (default: ${DEFAULT-VALUE})")
    double beta = DEFAULTS.beta();

    @Override
    public Integer call() {
        ModelPairTrainer.Plan plan = new ModelPairTrainer.Plan(seed, DEFAULTS.stories(), sftSteps,
                DEFAULTS.dpoPrompts(), dpoSteps, beta, DEFAULTS.reward());
        ModelPairTrainer.Report report = ModelPairTrainer.train(plan, out, System.out);
        System.out.printf("reference sha256 %s%naligned sha256 %s%n", report.referenceSha256(),
                report.alignedSha256());
        return 0;
    }
}
