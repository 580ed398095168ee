package dev.dera.spark;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes prompts as the job's JSON Lines input (data-schemas/prompts.json): for the demo and benchmarks. */
public final class PromptFiles {
    private PromptFiles() {}

    /** One line per prompt, with prompt_id {@code idPrefix + index}; returns the file. */
    public static Path writeJsonLines(Path file, List<String> prompts, String idPrefix) {
        Gson gson = new Gson();
        List<String> lines = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            Map<String, String> line = new LinkedHashMap<>();
            line.put(Schemas.PROMPT_ID, idPrefix + i);
            line.put(Schemas.PROMPT, prompts.get(i));
            lines.add(gson.toJson(line));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
