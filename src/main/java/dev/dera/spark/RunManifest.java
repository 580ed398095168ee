package dev.dera.spark;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run manifest {@code _dera_manifest.json}: resolved config, chunking, software versions, Spark application
 * ids, and once finished the model identities, counts, timings and per-lambda table. A resumed run must resolve to
 * the same values for every key that shapes the rows ({@link #RESULT_KEYS}).
 */
final class RunManifest {
    static final String RUNNING = "running";
    static final String COMPLETE = "complete";
    static final String CHUNK_ASSIGNMENT = "pmod(xxhash64(prompt_id), chunks)";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private static final List<String> RESULT_KEY_PREFIXES =
            List.of("model.", "decode.", "sampling.", "stop.", "prompt.", "input.path", "job.chunks", "output.format",
                    "output.keep_columns");

    private RunManifest() {}

    static JsonObject started(JobConfig config, String sparkVersion) {
        JsonObject manifest = new JsonObject();
        manifest.addProperty("status", RUNNING);
        manifest.addProperty("created", Instant.now().toString());
        manifest.add("config", GSON.toJsonTree(config.asMap()));
        manifest.addProperty("seed", config.seed());
        JsonObject chunks = new JsonObject();
        chunks.addProperty("count", config.chunks());
        chunks.addProperty("assignment", CHUNK_ASSIGNMENT);
        manifest.add("chunks", chunks);
        JsonObject software = new JsonObject();
        software.addProperty("dera", projectVersion());
        software.addProperty("spark", sparkVersion);
        software.addProperty("djl", Engine.getDjlVersion());
        software.addProperty("java", System.getProperty("java.version"));
        manifest.add("software", software);
        manifest.add("spark_application_ids", new JsonArray());
        return manifest;
    }

    static JsonObject parse(String json) {
        return GSON.fromJson(json, JsonObject.class);
    }

    static String toJson(JsonObject manifest) {
        return GSON.toJson(manifest);
    }

    static boolean isComplete(JsonObject manifest) {
        return COMPLETE.equals(manifest.get("status").getAsString());
    }

    /** Fails, naming the keys, when {@code config} would produce other rows than the run that wrote the manifest. */
    static void requireSameResults(JsonObject manifest, JobConfig config) {
        JsonObject recorded = manifest.getAsJsonObject("config");
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.asMap().entrySet()) {
            String key = entry.getKey();
            boolean shapesRows = RESULT_KEY_PREFIXES.stream().anyMatch(key::startsWith);
            if (shapesRows && (!recorded.has(key) || !recorded.get(key).getAsString().equals(entry.getValue()))) {
                differing.add(key + " (was " + (recorded.has(key) ? recorded.get(key).getAsString() : "unset")
                        + ", now " + entry.getValue() + ")");
            }
        }
        if (!differing.isEmpty()) {
            throw new IllegalArgumentException("cannot resume: this run's settings differ from the run that started"
                    + " the output: " + String.join(", ", differing) + "; use the same settings or a new output");
        }
    }

    static void addApplicationId(JsonObject manifest, String applicationId) {
        manifest.getAsJsonArray("spark_application_ids").add(applicationId);
    }

    static void finish(JsonObject manifest, JsonObject models, JsonObject counts, JsonObject timings,
            JsonArray perLambda) {
        manifest.addProperty("status", COMPLETE);
        manifest.addProperty("finished", Instant.now().toString());
        manifest.add("models", models);
        manifest.add("counts", counts);
        manifest.add("timings_ms", timings);
        manifest.add("per_lambda", perLambda);
    }

    static String projectVersion() {
        String version = RunManifest.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
