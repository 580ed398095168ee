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
            Map<String, String> storedNames = TensorLayout.storedNames(config, checkpoint.tensorNames());
            checkpoint.requireAll(storedNames.values());
            storedNames.forEach((name, stored) -> weights.put(name,
                    SafetensorsFile.toFloats(checkpoint.tensor(stored).dtype(), checkpoint.read(stored))));
        }
        return weights;
    }
}
