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
 * The run manifest {@code _dera_manifest.json}: resolved config, the real Spark master, chunking, software versions,
 * the models' and the input's content fingerprints, Spark application ids, and once finished the counts, timings
 * and per-lambda table (or, when the run failed, its error). A resumed run must have the same models, input and
 * {@link JobConfig#resultSettings} ({@link #requireSameRun}).
 */
final class RunManifest {
    static final String RUNNING = "running";
    static final String COMPLETE = "complete";
    static final String FAILED = "failed";
    static final String CHUNK_ASSIGNMENT = "pmod(xxhash64(prompt_id), chunks)";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private RunManifest() {}

    /**
     * A new run's manifest.
     *
     * @param master the master Spark runs on, which spark-submit may have set instead of job.master
     * @param models {@code ref} and {@code aligned} identities ({@link ModelIdentity})
     * @param input the input's content fingerprint
     */
    static JsonObject started(JobConfig config, String sparkVersion, String master, JsonObject models, String input) {
        JsonObject manifest = new JsonObject();
        manifest.addProperty("status", RUNNING);
        manifest.addProperty("created", Instant.now().toString());
        manifest.addProperty("master", master);
        Map<String, String> resolved = config.asMap();
        resolved.put("job.master", master);
        manifest.add("config", GSON.toJsonTree(resolved));
        manifest.add("result_settings", GSON.toJsonTree(config.resultSettings()));
        manifest.addProperty("seed", config.decode().seed());
        JsonObject chunks = new JsonObject();
        chunks.addProperty("count", config.chunks());
        chunks.addProperty("assignment", CHUNK_ASSIGNMENT);
        manifest.add("chunks", chunks);
        manifest.add("models", models);
        manifest.addProperty("input_fingerprint", input);
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

    /**
     * Fails, saying what changed, unless this run has the same model content, input content and result settings as
     * the run that wrote the manifest (so a resumed output never mixes two runs' rows).
     */
    static void requireSameRun(JsonObject manifest, JobConfig config, JsonObject models, String input) {
        if (!manifest.has("result_settings") || !manifest.has("models") || !manifest.has("input_fingerprint")) {
            throw new IllegalArgumentException("cannot resume: the manifest was written by an older dera that did not"
                    + " record the models' and input's content; start again in a new output");
        }
        List<String> changed = new ArrayList<>();
        JsonObject recorded = manifest.getAsJsonObject("result_settings");
        config.resultSettings().forEach((key, value) -> {
            String was = recorded.has(key) ? recorded.get(key).getAsString() : "unset";
            if (!was.equals(value)) {
                changed.add(key + " (was " + was + ", now " + value + ")");
            }
        });
        JsonObject recordedModels = manifest.getAsJsonObject("models");
        for (String role : List.of("ref", "aligned")) {
            if (!ModelIdentity.sameContent(recordedModels.getAsJsonObject(role), models.getAsJsonObject(role))) {
                changed.add("the " + role + " model's files (" + models.getAsJsonObject(role).get("path").getAsString()
                        + " differs in content from " + recordedModels.getAsJsonObject(role).get("path").getAsString()
                        + " when the run started)");
            }
        }
        if (!manifest.get("input_fingerprint").getAsString().equals(input)) {
            changed.add("the input's content (was " + manifest.get("input_fingerprint").getAsString() + ", now "
                    + input + ")");
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("cannot resume: changed since the run started: "
                    + String.join("; ", changed) + "; use the same models, input and settings, or a new output");
        }
    }

    static void addApplicationId(JsonObject manifest, String applicationId) {
        manifest.getAsJsonArray("spark_application_ids").add(applicationId);
    }

    static void finish(JsonObject manifest, JsonObject counts, JsonObject timings, JsonArray perLambda) {
        manifest.addProperty("status", COMPLETE);
        manifest.addProperty("finished", Instant.now().toString());
        manifest.add("counts", counts);
        manifest.add("timings_ms", timings);
        manifest.add("per_lambda", perLambda);
    }

    /** Marks a resumed run running again. */
    static void resumed(JsonObject manifest) {
        manifest.addProperty("status", RUNNING);
        manifest.remove("failed");
        manifest.remove("error");
    }

    /** Marks the run failed with the error's one-line message; a later {@code --resume} can still complete it. */
    static void fail(JsonObject manifest, Throwable error) {
        manifest.addProperty("status", FAILED);
        manifest.addProperty("failed", Instant.now().toString());
        manifest.addProperty("error", error.getMessage() == null ? error.toString() : error.getMessage());
    }

    static String projectVersion() {
        String version = RunManifest.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
