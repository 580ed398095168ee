package dev.dera.lm;

import java.util.Map;

/** The Hugging Face tensor names a config needs and the shape config.json implies for each, family by family. */
public final class TensorLayout {
    private TensorLayout() {}

    /** Every tensor a model with this config needs, in a stable order, with its [dims] shape. */
    public static Map<String, long[]> shapes(ModelConfig config) {
        TensorShapes shapes = new TensorShapes();
        config.architecture().family().declare(config, shapes);
        return shapes.toMap();
    }
}
