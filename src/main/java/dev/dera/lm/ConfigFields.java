package dev.dera.lm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;

/** One config.json, read key by key; every error is one line that names the file and the key. */
final class ConfigFields {
    private final JsonObject json;
    private final Path file;

    ConfigFields(JsonObject json, Path file) {
        this.json = json;
        this.file = file;
    }

    boolean has(String key) {
        return JsonFiles.isPresent(json, key);
    }

    int require(String key) {
        return JsonFiles.requireInt(json, key, file);
    }

    int intOr(String key, int fallback) {
        return JsonFiles.intOr(json, key, fallback, file);
    }

    double doubleOr(String key, double fallback) {
        return JsonFiles.doubleOr(json, key, fallback, file);
    }

    boolean boolOr(String key, boolean fallback) {
        return JsonFiles.boolOr(json, key, fallback);
    }

    String stringOr(String key, String fallback) {
        return has(key) ? json.get(key).getAsString() : fallback;
    }

    /** The nested object {@code key}, or null when absent or null. */
    ConfigFields objectOrNull(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = json.get(key);
        if (!value.isJsonObject()) {
            throw error("\"" + key + "\" must be an object, got " + value);
        }
        return new ConfigFields(value.getAsJsonObject(), file);
    }

    /** The string {@code key} (or {@code fallback}), which must be one of {@code supported}. */
    String oneOf(String key, String fallback, String... supported) {
        String value = stringOr(key, fallback);
        if (!Arrays.asList(supported).contains(value)) {
            throw error(key + " \"" + value + "\" is not supported; supported: " + String.join(", ", supported));
        }
        return value;
    }

    /** Fails naming {@code key} when it is set to true: a feature this project does not implement. */
    void refuseTrue(String key, String why) {
        if (boolOr(key, false)) {
            throw error(key + "=true is not supported; " + why);
        }
    }

    JsonElement raw(String key) {
        return json.get(key);
    }

    ModelConfigException error(String message) {
        return new ModelConfigException(file + ": " + message);
    }
}
