package dev.dera.lm.safetensors;

import java.nio.file.Path;
import java.util.Optional;

/** A safetensors file or checkpoint folder that cannot be read or written; the message names the file and tensor. */
public class SafetensorsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    /** A problem with the file (or checkpoint folder) as a whole. */
    public SafetensorsException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /** A problem with one tensor of the file; {@code tensor} may be null when no tensor is involved. */
    public SafetensorsException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /** A problem with one tensor of the file caused by {@code cause}; {@code tensor} may be null. */
    public SafetensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(message(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file or checkpoint folder the problem is in. */
    public Path file() {
        return file;
    }

    /** The tensor the problem is in, if the problem concerns one tensor. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    private static String message(Path file, String tensor, String problem) {
        String where = tensor == null ? file + ": " : file + ": tensor '" + tensor + "': ";
        return where + problem;
    }
}
