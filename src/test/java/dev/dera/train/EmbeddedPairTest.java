package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed model pair in models/embedded: it loads, its tokenizer covers the corpus, and a sampled DeRa
 * sweep (temperature 1, fixed seed, {@value #PROMPTS} prompts per lambda) shows reward and KL to the reference
 * rising with lambda.
 */
class EmbeddedPairTest {

    private static final Path EMBEDDED = Path.of("models", "embedded");
    private static final Path REFERENCE = EMBEDDED.resolve(ModelPairTrainer.REFERENCE);
    private static final Path ALIGNED = EMBEDDED.resolve(ModelPairTrainer.ALIGNED);
    private static final int PROMPTS = 200;
    private static final long PROMPT_SEED = 2024;
    private static final double[] LAMBDAS = {0.0, 0.5, 1.0, 2.0};
    private static final int MAX_NEW_TOKENS = 96;

    private static ModelPair pair;
    private static List<String> prompts;
    private static List<DecodeResult> sweep;

    @BeforeAll
    static void decodeSweep() {
        pair = ModelPair.load(REFERENCE, ALIGNED, Device.cpu(), ComputeType.FLOAT32);
        prompts = StoryCorpus.prompts(PROMPT_SEED, PROMPTS);
        sweep = Sweeps.decode(pair, prompts, LAMBDAS, Sweeps.SAMPLED, MAX_NEW_TOKENS, 0);
    }

    @AfterAll
    static void close() {
        pair.close();
    }

    @Test
    void rewardAndKlToReferenceRiseWithLambda() {
        List<RealignmentSummary.LambdaRow> table =
                RealignmentSummary.summarize(Sweeps.scored(sweep), new SentimentReward());
        table.forEach(System.out::println);

        assertEquals(LAMBDAS.length, table.size());
        assertEquals(0.0, table.get(0).meanKlToRef(), 1e-6);
        for (int i = 1; i < table.size(); i++) {
            RealignmentSummary.LambdaRow lower = table.get(i - 1);
            RealignmentSummary.LambdaRow higher = table.get(i);
            assertEquals(PROMPTS, higher.rows());
            assertTrue(higher.meanReward() > lower.meanReward(), "reward does not rise: " + lower + " -> " + higher);
            assertTrue(higher.meanKlToRef() > lower.meanKlToRef(), "KL does not rise: " + lower + " -> " + higher);
        }
    }

    @Test
    void lambdaZeroDecodesExactlyAsTheReferenceAlone() {
        try (ModelPair referenceOnly = ModelPair.load(REFERENCE, REFERENCE, Device.cpu(), ComputeType.FLOAT32)) {
            List<DecodeResult> alone =
                    Sweeps.decode(referenceOnly, prompts, new double[] {0.0}, Sweeps.SAMPLED, MAX_NEW_TOKENS, 0);
            List<DecodeResult> atZero = sweep.stream().filter(r -> r.lambda() == 0.0).toList();
            assertEquals(alone.size(), atZero.size());
            for (int i = 0; i < alone.size(); i++) {
                assertArrayEquals(alone.get(i).completionIds(), atZero.get(i).completionIds(), prompts.get(i));
                assertArrayEquals(alone.get(i).refTokenLogprobs(), atZero.get(i).tokenLogprobs(), 1e-5f);
            }
        }
    }

    @Test
    void bothFoldersLoadWithTheSameConfigAndTheTokenizerFitsTheVocabulary() {
        try (LanguageModel reference = LanguageModel.load(REFERENCE); LanguageModel aligned = LanguageModel.load(ALIGNED)) {
            ModelConfig config = reference.config();
            assertEquals(config, aligned.config());
            assertEquals(TinyLlama.config(config.vocabSize()), config);
            assertEquals(pair.tokenizer().vocabularySize(), config.vocabSize());
        }
    }

    @Test
    void tokenizerRoundTripsTheCorpus() {
        List<String> stories = StoryCorpus.generateMixed(ModelPairTrainer.Plan.defaults().seed(), 1_000);
        for (String story : stories) {
            int[] ids = pair.tokenizer().encode(story);
            assertFalse(IntStream.of(ids).anyMatch(id -> id == 0), "<unk> in: " + story);
            assertEquals(story, pair.tokenizer().decode(ids));
        }
    }
}
