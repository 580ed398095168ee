package dev.dera.lm;

import dev.dera.lm.safetensors.Checkpoint;
import dev.dera.lm.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model folder's weights on the host as float32 arrays, whatever type they are stored in. */
public final class FloatWeights {
    private FloatWeights() {}

    /** Every tensor the folder's config needs, in layout order; fails naming all that are missing. */
    public static Map<String, float[]> read(Path dir, ModelConfig config) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            checkpoint.requireAll(TensorLayout.shapes(config).keySet());
            for (String name : TensorLayout.shapes(config).keySet()) {
                weights.put(name, SafetensorsFile.toFloats(checkpoint.tensor(name).dtype(), checkpoint.read(name)));
            }
        }
        return weights;
    }
}
