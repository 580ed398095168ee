package dev.dera.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors a config needs, by Hugging Face name, in declaration order, each with its [dims] shape. */
final class TensorShapes {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    TensorShapes add(String name, long... dims) {
        shapes.put(name, dims);
        return this;
    }

    /** A GPT-2 Conv1D: weight stored [in, out] and a bias. */
    TensorShapes conv1d(String name, long in, long out) {
        return add(name + ".weight", in, out).add(name + ".bias", out);
    }

    /** A LayerNorm: weight and bias. */
    TensorShapes layerNorm(String name, long width) {
        return add(name + ".weight", width).add(name + ".bias", width);
    }

    Map<String, long[]> toMap() {
        return Collections.unmodifiableMap(shapes);
    }
}
