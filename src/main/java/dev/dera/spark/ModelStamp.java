package dev.dera.spark;

import com.google.gson.JsonObject;
import dev.dera.lm.Sha256;
import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The model identity stamped on every output row: each model folder's name and a prefix of its digest, the
 * SHA-256 of its {@link ModelIdentity} without the path (so it changes with any file's content, not with where the
 * folder lies). Computed once on the driver; the executors get it as a setting.
 */
record ModelStamp(String refName, String refSha256, String alignedName, String alignedSha256)
        implements Serializable {
    /** Hex digits of the digest kept in the rows; the manifest holds the full digest. */
    static final int PREFIX = 12;

    /** From the manifest's models section: {@code {"ref": identity, "aligned": identity}}. */
    static ModelStamp of(JsonObject models) {
        JsonObject ref = models.getAsJsonObject("ref");
        JsonObject aligned = models.getAsJsonObject("aligned");
        return new ModelStamp(folderName(ref), digest(ref).substring(0, PREFIX),
                folderName(aligned), digest(aligned).substring(0, PREFIX));
    }

    /** Hashes both model folders (on the driver) and stamps them. */
    static ModelStamp of(String refModel, String alignedModel, Map<String, String> hadoopConf) {
        JsonObject models = new JsonObject();
        models.add("ref", ModelIdentity.of(refModel, hadoopConf));
        models.add("aligned", ModelIdentity.of(alignedModel, hadoopConf));
        return of(models);
    }

    /** SHA-256, in hex, of a model identity's file digests (the manifest records it as the identity's sha256). */
    static String digest(JsonObject identity) {
        JsonObject content = identity.deepCopy();
        content.remove("path");
        content.remove("sha256");
        return Sha256.ofText(content.toString());
    }

    private static String folderName(JsonObject identity) {
        return new Path(identity.get("path").getAsString()).getName();
    }
}
