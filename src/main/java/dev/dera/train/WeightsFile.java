package dev.dera.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line {@code sha256sum DIR/model.safetensors} prints: the hash, two spaces, the path. */
    public static String sha256sumLine(Path modelDir) {
        return sha256(modelDir) + "  " + modelDir.resolve(NAME);
    }
}
