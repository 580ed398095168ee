package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.ModelPair;
import dev.dera.eval.LambdaTable;
import dev.dera.eval.Reward;
import dev.dera.eval.SentimentReward;
import dev.dera.lm.ComputeType;
import dev.dera.testing.SharedModels;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DPO trainer on a model it did not train: stories260K (TinyStories) aligned towards cheerful wording with the
 * sentiment reward, whose lexicon words (happy, sad, smiled, cried, ...) are common in TinyStories. Preference
 * pairs are sampled from stories260K itself; the reward is measured on other prompts, sampled at temperature 1.
 */
class Stories260KAlignmentTest {

    private static final long SEED = 11;
    private static final int PAIR_PROMPTS = 96;
    private static final int SAMPLES_PER_PROMPT = 4;
    private static final int EVAL_PROMPTS = 150;
    private static final int MAX_NEW_TOKENS = 48;
    private static final DpoTrainer.Settings SETTINGS = new DpoTrainer.Settings(60, 8, 0.1, 1e-3, SEED, false);

    @Test
    void dpoRaisesTheRewardAndTheExportedModelLoadsAndDecodes(@TempDir Path dir) {
        Path reference = SharedModels.reference();
        Path aligned = dir.resolve("aligned");
        Reward reward = new SentimentReward();
        List<String> prompts = StoryCorpus.prompts(SEED, PAIR_PROMPTS + EVAL_PROMPTS);
        List<PreferencePair> pairs;
        try (ModelPair sampler = ModelPair.load(reference, reference, Device.cpu(), ComputeType.FLOAT32)) {
            pairs = PreferenceSampler.sample(sampler, prompts.subList(0, PAIR_PROMPTS), SAMPLES_PER_PROMPT,
                    MAX_NEW_TOKENS, reward, SEED);
        }
        assertTrue(pairs.size() >= PAIR_PROMPTS / 2, "too few pairs with a reward difference: " + pairs.size());

        ModelPairTrainer.align(reference, aligned, pairs, SETTINGS, new PrintStream(OutputStream.nullOutputStream()));

        try (ModelPair realigned = ModelPair.load(reference, aligned, Device.cpu(), ComputeType.FLOAT32)) {
            List<DecodeResult> sweep = Sweeps.decode(realigned, prompts.subList(PAIR_PROMPTS, prompts.size()),
                    new double[] {0.0, 1.0}, Sweeps.SAMPLED, MAX_NEW_TOKENS, SEED);
            List<LambdaTable.LambdaRow> table = LambdaTable.of(Sweeps.scored(sweep), reward);
            table.forEach(System.out::println);
            assertEquals(2, table.size());
            assertTrue(table.get(1).meanReward() > table.get(0).meanReward() + 0.05,
                    "DPO did not raise the reward: " + table);
            assertTrue(sweep.stream().allMatch(r -> r.error() == null && r.completionIds().length > 0));
        }
    }
}
