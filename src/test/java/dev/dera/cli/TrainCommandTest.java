package dev.dera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --reference runs only the alignment step and prints the weights file's hash as sha256sum does. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void alignmentAgainstAReferencePrintsTheSha256sumLineAndWritesTheCurve() throws Exception {
        Path out = dir.resolve("aligned");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, DeraCli.commandLine().execute("train", "--reference", "models/embedded/reference",
                    "--out", out.toString(), "--beta", "0.2", "--dpo-steps", "4", "--dpo-prompts", "8",
                    "--reward-labels"));
        } finally {
            System.setOut(original);
        }
        Path weights = out.resolve("model.safetensors");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(weights)));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(sha256 + "  " + weights + "\n"),
                printed.toString(StandardCharsets.UTF_8));
        List<String> curve = Files.readAllLines(out.resolve("alignment_curve.csv"));
        assertEquals("step,loss,excess_loss,implicit_reward_margin,reward_margin", curve.get(0));
        assertEquals(5, curve.size(), "one window per step for 4 steps");
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
    }

    @Test
    void rewardLabelsWithoutAReferenceAreRefused() {
        assertEquals(UserErrorHandler.USER_ERROR, DeraCli.commandLine().execute("train", "--out",
                dir.resolve("pair").toString(), "--reward-labels"));
    }
}
