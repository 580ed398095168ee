package dev.dera.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import java.util.stream.Stream;

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

    /** A copy of every file of {@code source} whose config.json {@code edit} may change. */
    public static Path withEditedConfig(Path source, Consumer<JsonObject> edit) {
        try (Stream<Path> files = Files.list(source)) {
            Path copy = Files.createTempDirectory(source.getFileName() + "-edited");
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
            Path configFile = copy.resolve("config.json");
            JsonObject config = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
            edit.accept(config);
            Files.writeString(configFile, config.toString());
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
