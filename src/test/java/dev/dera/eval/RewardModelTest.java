package dev.dera.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reward model scores like its causal twin's logit 0 at the last non-padding token, batched or not. */
class RewardModelTest {
    private static final long SEED = 11;
    private static final List<int[]> SEQUENCES = List.of(
            new int[] {1, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49},
            new int[] {1, 50},
            new int[] {1, 60, 61, 62, TinyRewardModel.PAD},
            new int[] {1, 70, 71, 72, 73, 74});

    @TempDir
    Path dir;

    @Test
    void aBatchOfRowsOfDifferentLengthsScoresLikeTheCausalTwinOneRowAtATime() throws IOException {
        Path rewardDir = dir.resolve("reward");
        Path twinDir = dir.resolve("twin");
        TinyRewardModel.writeCausalTwin(twinDir, SEED, TinyRewardModel.write(rewardDir, SEED));
        float[] batched;
        try (RewardModel model = RewardModel.load(rewardDir)) {
            batched = model.score(SEQUENCES);
            for (int i = 0; i < SEQUENCES.size(); i++) {
                assertEquals(batched[i], model.score(List.of(SEQUENCES.get(i)))[0], 1e-5, "row " + i + " alone");
            }
        }
        try (LanguageModel twin = LanguageModel.load(twinDir)) {
            for (int i = 0; i < SEQUENCES.size(); i++) {
                int[] sequence = SEQUENCES.get(i);
                int last = sequence[sequence.length - 1] == TinyRewardModel.PAD ? sequence.length - 2
                        : sequence.length - 1;
                assertEquals(twinLogitZero(twin, sequence, last), batched[i], 1e-4, "row " + i);
            }
        }
        assertTrue(batched[0] != batched[1] && batched[1] != batched[3], Arrays.toString(batched));
    }

    @Test
    void textsAreScoredAsPromptFollowedByCompletion() throws IOException {
        TinyRewardModel.write(dir, SEED);
        try (RewardModel model = RewardModel.load(dir)) {
            float[] texts = model.scoreTexts(List.of("Once upon a time", "The dog"),
                    List.of(" there was a happy cat.", " was sad."));
            float[] joined = model.scoreTexts(List.of("Once upon a time there was a happy cat.", "The dog was sad."),
                    List.of("", ""));
            assertEquals(joined[0], texts[0], 1e-5);
            assertEquals(joined[1], texts[1], 1e-5);
        }
    }

    @Test
    void foldersThatAreNotOneLabelRewardModelsFailWithAClearMessage() throws IOException {
        Path causal = dir.resolve("causal");
        TinyRewardModel.writeCausalTwin(causal, SEED, new float[16]);
        assertTrue(message(causal).contains("is not a supported reward model; supported: LlamaForSequenceClassification,"
                + " MistralForSequenceClassification, Qwen2ForSequenceClassification"), message(causal));

        Path twoLabels = dir.resolve("two-labels");
        TinyRewardModel.write(twoLabels, SEED);
        Files.writeString(twoLabels.resolve("config.json"), Files.readString(twoLabels.resolve("config.json"))
                .replace("\"id2label\": {", "\"id2label\": {\"1\": \"LABEL_1\","));
        assertTrue(message(twoLabels).contains("declares 2 labels"), message(twoLabels));

        Path noScore = dir.resolve("no-score");
        TinyRewardModel.write(noScore, SEED);
        Files.copy(causal.resolve("model.safetensors"), noScore.resolve("model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(message(noScore).contains("score.weight"), message(noScore));

        assertTrue(message(dir.resolve("absent")).contains("does not exist"));
    }

    private static String message(Path folder) {
        return assertThrows(RuntimeException.class, () -> RewardModel.load(folder).close()).getMessage();
    }

    /** The twin's logit of token 0 at position {@code last}, from a batch of this one sequence. */
    private static float twinLogitZero(LanguageModel twin, int[] sequence, int last) {
        try (NDManager manager = twin.manager().newSubManager();
                KvCache cache = twin.newCache(manager, 1, sequence.length)) {
            long[][] ids = {Arrays.stream(sequence).asLongStream().toArray()};
            long[][] mask = {new long[sequence.length]};
            Arrays.fill(mask[0], 1);
            NDArray logits = twin.prefillAllLogits(manager.create(ids), manager.create(mask), cache, manager);
            return logits.get(new NDIndex("0, {}, 0", last)).getFloat();
        }
    }
}
