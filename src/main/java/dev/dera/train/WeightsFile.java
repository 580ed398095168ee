package dev.dera.train;

import dev.dera.lm.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The weights file of a model folder that the trainers write, and its SHA-256 as {@code sha256sum} prints it. */
public final class WeightsFile {
    /** The single safetensors file of a trained model folder. */
    public static final String NAME = "model.safetensors";

    private WeightsFile() {
    }

    /** Lower-case hex SHA-256 of {@code modelDir/model.safetensors}. */
    public static String sha256(Path modelDir) {
        Path file = modelDir.resolve(NAME);
        try (InputStream in = Files.newInputStream(file)) {
            return Sha256.ofStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The line {@code sha256sum DIR/model.safetensors} prints: the hash, two spaces, the path. */
    public static String sha256sumLine(Path modelDir) {
        return sha256(modelDir) + "  " + modelDir.resolve(NAME);
    }
}
