package dev.dera.testing;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The real test models and expected decodes in ../shared/models (see its README). */
public final class SharedModels {
    private SharedModels() {}

    public static Path root() {
        return Path.of(System.getProperty("dera.sharedModels", "../shared/models")).toAbsolutePath().normalize();
    }

    public static Path reference() {
        return root().resolve("stories260K");
    }

    public static Path aligned() {
        return root().resolve("stories260K-perturbed");
    }

    /** Every line of vectors/stories260K-dera-greedy.jsonl. */
    public static List<DeraVector> greedyVectors() {
        Gson gson = new Gson();
        try {
            return Files.readAllLines(root().resolve("vectors/stories260K-dera-greedy.jsonl")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> gson.fromJson(line, DeraVector.class))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
