package dev.dera.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The Hugging Face tensor names a config needs and the shape config.json implies for each, family by family. */
public final class TensorLayout {
    private TensorLayout() {}

    /** Every tensor a model with this config needs, in a stable order, with its [dims] shape. */
    public static Map<String, long[]> shapes(ModelConfig config) {
        TensorShapes shapes = new TensorShapes();
        config.architecture().family().declare(config, shapes);
        return shapes.toMap();
    }

    /**
     * For each tensor of {@link #shapes}, the name a checkpoint holding {@code stored} keeps it under: the same name,
     * or the family's alias (GPT-2 without the "transformer." prefix). Missing tensors keep their own name.
     */
    public static Map<String, String> storedNames(ModelConfig config, Set<String> stored) {
        Family family = config.architecture().family();
        Map<String, String> names = new LinkedHashMap<>();
        shapes(config).keySet().forEach(name -> names.put(name, family.storedName(name, stored)));
        return Collections.unmodifiableMap(names);
    }
}
