package dev.dera.testing;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The tiny random model pair of each family in ../shared/models/zoo and their expected decodes (see its README). */
public final class ZooModels {
    private static final String SUFFIX = "-dera-greedy.jsonl";

    private ZooModels() {}

    public static Path root() {
        return SharedModels.root().resolve("zoo");
    }

    /** The names of the vector files, without the suffix: "llama", "llama-bf16", "qwen3", ... */
    public static List<String> vectorNames() {
        try (Stream<Path> files = Files.list(root().resolve("vectors"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference folder a vector file names: {@code zoo/<arch>/reference}, or {@code reference-bf16}. */
    public static Path reference(String name) {
        return folder(name, "reference");
    }

    public static Path aligned(String name) {
        return folder(name, "aligned");
    }

    public static List<DeraVector> vectors(String name) {
        Gson gson = new Gson();
        try {
            return Files.readAllLines(root().resolve("vectors/" + name + SUFFIX)).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> gson.fromJson(line, DeraVector.class))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folder(String name, String role) {
        int dash = name.indexOf('-');
        return dash < 0 ? root().resolve(name).resolve(role)
                : root().resolve(name.substring(0, dash)).resolve(role + name.substring(dash));
    }
}
