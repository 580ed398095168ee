package dev.dera.lm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the small JSON files of a Hugging Face model folder, with errors that name the file and the key. */
final class JsonFiles {
    private JsonFiles() {}

    static JsonObject readObject(Path file) {
        if (!Files.isRegularFile(file)) {
            Path folder = file.getParent();
            throw new ModelConfigException(folder != null && !Files.isDirectory(folder)
                    ? "model folder " + folder + " does not exist"
                    : "missing " + file.getFileName() + " in " + folder);
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new ModelConfigException(file + " is not a JSON object");
            }
            return root.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new ModelConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Optional<JsonObject> readOptionalObject(Path file) {
        return Files.exists(file) ? Optional.of(readObject(file)) : Optional.empty();
    }

    static boolean isPresent(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    static int requireInt(JsonObject json, String key, Path file) {
        if (!isPresent(json, key)) {
            throw new ModelConfigException(file + " lacks the required field \"" + key + "\"");
        }
        try {
            return json.get(key).getAsInt();
        } catch (RuntimeException e) {
            throw new ModelConfigException(file + ": \"" + key + "\" must be an integer, got " + json.get(key));
        }
    }

    static int intOr(JsonObject json, String key, int fallback, Path file) {
        return isPresent(json, key) ? requireInt(json, key, file) : fallback;
    }

    static double doubleOr(JsonObject json, String key, double fallback, Path file) {
        if (!isPresent(json, key)) {
            return fallback;
        }
        try {
            return json.get(key).getAsDouble();
        } catch (RuntimeException e) {
            throw new ModelConfigException(file + ": \"" + key + "\" must be a number, got " + json.get(key));
        }
    }

    static boolean boolOr(JsonObject json, String key, boolean fallback) {
        return isPresent(json, key) ? json.get(key).getAsBoolean() : fallback;
    }

    /** An integer or a list of integers (as generation_config.json's eos_token_id may be), as a list. */
    static List<Integer> intList(JsonObject json, String key, Path file) {
        List<Integer> ids = new ArrayList<>();
        if (!isPresent(json, key)) {
            return ids;
        }
        JsonElement value = json.get(key);
        try {
            if (value.isJsonArray()) {
                value.getAsJsonArray().forEach(e -> ids.add(e.getAsInt()));
            } else {
                ids.add(value.getAsInt());
            }
        } catch (RuntimeException e) {
            throw new ModelConfigException(file + ": \"" + key + "\" must be an integer or a list of integers, got " + value);
        }
        return ids;
    }
}
