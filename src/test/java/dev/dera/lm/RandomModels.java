package dev.dera.lm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Small random-weight models of each architecture, written as Hugging Face folders. */
final class RandomModels {
    private RandomModels() {}

    static ModelConfig config(Architecture architecture, boolean bias, int slidingWindow, boolean tied) {
        return new ModelConfig(architecture, 32, 48, 2, 4, 2, 8, 64, 128, 1e-6, 10000.0, 1.0, tied, bias,
                slidingWindow);
    }

    /** A Llama with attention_bias (q/k/v/o) and mlp_bias (gate/up/down), untied. */
    static ModelConfig llamaWithBiases() {
        return new ModelConfig(Architecture.LLAMA, 32, 48, 2, 4, 2, 8, 64, 128, 1e-6, Rope.linear(10000.0, 1), false,
                true, true, 0, ModelConfig.everyLayer(2, false), 8, 0, 0);
    }

    /** Writes a folder with seeded random weights and returns it. */
    static Path write(ModelConfig config, long seed) {
        try {
            Path dir = Files.createTempDirectory("random-" + config.architecture().name().toLowerCase());
            RandomWeights.writeFolder(dir, config, new GenerationConfig(Set.of(2), 1), seed);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
