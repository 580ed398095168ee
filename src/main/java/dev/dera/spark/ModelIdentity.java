package dev.dera.spark;

import com.google.gson.JsonObject;
import dev.dera.lm.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;

/**
 * A model folder's identity for the run manifest: its path and the SHA-256 of config.json, tokenizer.json and every
 * weights file. A resumed run must find the same content ({@link #sameContent}), whatever the path.
 */
final class ModelIdentity {
    private static final String TOKENIZER = "tokenizer.json";

    private ModelIdentity() {}

    static JsonObject of(String uri, Map<String, String> hadoopConf) {
        JsonObject identity = new JsonObject();
        identity.addProperty("path", uri);
        JsonObject weights = new JsonObject();
        for (FileStatus file : ModelFiles.list(uri, hadoopConf, ModelIdentity::isHashed)) {
            String name = file.getPath().getName();
            if (name.equals("config.json")) {
                identity.addProperty("config_sha256", sha256(file, hadoopConf));
            } else if (name.equals(TOKENIZER)) {
                identity.addProperty("tokenizer_sha256", sha256(file, hadoopConf));
            } else {
                weights.addProperty(name, sha256(file, hadoopConf));
            }
        }
        identity.add("weights_sha256", weights);
        return identity;
    }

    /** Whether two identities name the same files with the same content (their paths may differ). */
    static boolean sameContent(JsonObject a, JsonObject b) {
        return content(a).equals(content(b));
    }

    private static JsonObject content(JsonObject identity) {
        JsonObject content = identity.deepCopy();
        content.remove("path");
        return content;
    }

    private static boolean isHashed(String name) {
        return name.equals("config.json") || name.equals(TOKENIZER) || name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json");
    }

    private static String sha256(FileStatus file, Map<String, String> hadoopConf) {
        try (InputStream in = ModelFiles.open(file, hadoopConf)) {
            return Sha256.ofStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file.getPath(), e);
        }
    }
}
