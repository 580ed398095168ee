package dev.dera.testing;

import dev.dera.lm.FloatWeights;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderWriter;
import dev.dera.lm.safetensors.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Copies of a model folder with edited weights or another storage dtype, in a temporary folder. */
public final class ModelCopies {
    private ModelCopies() {}

    /** A copy of {@code source} whose weights {@code edit} may change in place, stored as {@code dtype}. */
    public static Path copy(Path source, TensorDType dtype, Consumer<Map<String, float[]>> edit) {
        try {
            Path copy = Files.createTempDirectory(source.getFileName() + "-" + dtype);
            ModelConfig config = ModelConfig.load(source);
            Map<String, float[]> weights = FloatWeights.read(source, config);
            edit.accept(weights);
            ModelFolderWriter.write(copy, config, GenerationConfig.load(source), weights, dtype);
            ModelFolderWriter.copyTokenizer(source, copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
