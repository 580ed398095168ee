package dev.dera.lm;

import dev.dera.lm.safetensors.TensorDType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random weights for any config: models for benchmarks and tests where only the shape matters. */
public final class RandomWeights {
    private RandomWeights() {}

    /** Gaussian weights (std 0.02 scaled up for tiny widths), norm weights near 1, as float32 arrays. */
    public static Map<String, float[]> gaussian(ModelConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double std = Math.max(0.02, 1.0 / Math.sqrt(config.hiddenSize()));
        Map<String, float[]> weights = new LinkedHashMap<>();
        TensorLayout.shapes(config).forEach((name, shape) -> {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            float[] values = new float[Math.toIntExact(count)];
            boolean norm = name.endsWith("norm.weight");
            for (int i = 0; i < values.length; i++) {
                double noise = gaussian(random);
                values[i] = (float) (norm ? 1 + 0.1 * noise : std * noise);
            }
            weights.put(name, values);
        });
        return weights;
    }

    /** Writes a float32 model folder with {@link #gaussian} weights. */
    public static void writeFolder(Path dir, ModelConfig config, GenerationConfig generation, long seed) {
        ModelFolderWriter.write(dir, config, generation, gaussian(config, seed), TensorDType.F32);
    }

    /** A standard normal draw (Box-Muller), so the weights depend on the seed alone. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
