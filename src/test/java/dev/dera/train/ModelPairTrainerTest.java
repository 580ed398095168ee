package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.eval.SentimentReward;
import dev.dera.lm.LanguageModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPairTrainerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static ModelPairTrainer.Plan smallPlan(long seed) {
        return new ModelPairTrainer.Plan(seed, 300, 8, 16, 3, 0.1, SentimentReward.NAME);
    }

    @Test
    void sameSeedGivesTheSameWeightsAndFiles(@TempDir Path dir) throws IOException {
        ModelPairTrainer.Report first = ModelPairTrainer.train(smallPlan(3), dir.resolve("first"), QUIET);
        ModelPairTrainer.Report second = ModelPairTrainer.train(smallPlan(3), dir.resolve("second"), QUIET);
        ModelPairTrainer.Report otherSeed = ModelPairTrainer.train(smallPlan(4), dir.resolve("other"), QUIET);

        assertEquals(first.referenceSha256(), second.referenceSha256());
        assertEquals(first.alignedSha256(), second.alignedSha256());
        assertNotEquals(first.referenceSha256(), first.alignedSha256());
        assertNotEquals(first.referenceSha256(), otherSeed.referenceSha256());
        for (String model : List.of(ModelPairTrainer.REFERENCE, ModelPairTrainer.ALIGNED)) {
            for (String file : List.of("model.safetensors", "config.json", "tokenizer.json")) {
                assertEquals(-1, Files.mismatch(dir.resolve("first").resolve(model).resolve(file),
                        dir.resolve("second").resolve(model).resolve(file)), model + "/" + file);
            }
        }
    }

    @Test
    void referenceLearnsAndTheReportedHashesAreThoseOfTheWeightsFiles(@TempDir Path dir) throws Exception {
        ModelPairTrainer.Plan plan = new ModelPairTrainer.Plan(5, 300, 40, 16, 3, 0.1, SentimentReward.NAME);
        ModelPairTrainer.Report report = ModelPairTrainer.train(plan, dir, QUIET);

        assertTrue(report.preferencePairs() > 0);
        assertEquals(report.referenceSha256(), sha256(dir.resolve(ModelPairTrainer.REFERENCE)));
        assertEquals(report.alignedSha256(), sha256(dir.resolve(ModelPairTrainer.ALIGNED)));
        try (LanguageModel aligned = LanguageModel.load(dir.resolve(ModelPairTrainer.ALIGNED))) {
            double uniformLoss = Math.log(aligned.config().vocabSize());
            assertTrue(report.sft().finalLoss() < 0.75 * uniformLoss,
                    "training loss " + report.sft().finalLoss() + " vs " + uniformLoss + " for uniform guessing");
        }
    }

    /** SHA-256 of the folder's model.safetensors, computed here independently of WeightsFile. */
    private static String sha256(Path modelDir) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(modelDir.resolve("model.safetensors")));
        return HexFormat.of().formatHex(digest);
    }
}
