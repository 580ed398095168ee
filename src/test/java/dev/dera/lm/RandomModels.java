package dev.dera.lm;

import dev.dera.lm.safetensors.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Small random-weight models of each architecture, written as Hugging Face folders. */
final class RandomModels {
    private RandomModels() {}

    static ModelConfig config(Architecture architecture, boolean bias, int slidingWindow, boolean tied) {
        return new ModelConfig(architecture, 32, 48, 2, 4, 2, 8, 64, 128, 1e-6, 10000.0, 1.0, tied, bias,
                slidingWindow);
    }

    /** Writes a folder with seeded Gaussian weights (norm weights near 1) and returns it. */
    static Path write(ModelConfig config, long seed) {
        try {
            Path dir = Files.createTempDirectory("random-" + config.architecture().name().toLowerCase());
            ModelFolderWriter.write(dir, config, new GenerationConfig(Set.of(2), 1), weights(config, seed),
                    TensorDType.F32);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, float[]> weights(ModelConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        TensorLayout.shapes(config).forEach((name, shape) -> {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            float[] values = new float[(int) count];
            boolean norm = name.endsWith("norm.weight");
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (norm ? 1 + 0.1 * random.nextGaussian() : 0.2 * random.nextGaussian());
            }
            weights.put(name, values);
        });
        return weights;
    }
}
