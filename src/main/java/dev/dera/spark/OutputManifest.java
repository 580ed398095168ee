package dev.dera.spark;

import com.google.gson.JsonObject;
import org.apache.hadoop.conf.Configuration;

/** Reads the manifest of an output folder for {@code dera inspect}; starts no Spark session. */
public final class OutputManifest {
    private OutputManifest() {}

    /** The manifest as JSON, then the per-lambda table when the run is complete. */
    public static String describe(String outputDir) {
        String json = new OutputFolder(outputDir, new Configuration()).readManifest().orElseThrow(() ->
                new IllegalArgumentException(outputDir + " has no " + OutputFolder.MANIFEST
                        + "; is it the output folder of dera generate?"));
        JsonObject manifest = RunManifest.parse(json);
        StringBuilder out = new StringBuilder(RunManifest.toJson(manifest)).append(System.lineSeparator());
        if (RunManifest.isComplete(manifest)) {
            out.append(LambdaSummary.format(manifest.getAsJsonArray("per_lambda")));
        } else {
            out.append("status: ").append(manifest.get("status").getAsString())
                    .append(" (resume with dera generate --resume)").append(System.lineSeparator());
        }
        return out.toString();
    }
}
