package dev.dera.lm.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The {@code weight_map} of a sharded checkpoint's {@code model.safetensors.index.json}: tensor to shard file. */
final class CheckpointIndex {

    /** The index file name Hugging Face uses for sharded safetensors checkpoints. */
    static final String FILE_NAME = "model.safetensors.index.json";

    private CheckpointIndex() {
    }

    /**
     * Reads the weight map of {@code indexFile} and resolves every shard inside {@code modelDir}.
     *
     * @return the shard path of every tensor, sorted by tensor name
     * @throws SafetensorsException naming the index file, and the tensor where there is one, if the index is too
     *                              large, malformed, or names a shard outside the folder
     */
    static SortedMap<String, Path> read(Path modelDir, Path indexFile) {
        try {
            long size = Files.size(indexFile);
            if (size > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new SafetensorsException(indexFile, "index is " + size + " bytes, over the limit of "
                        + SafetensorsHeader.MAX_HEADER_BYTES);
            }
            StrictJson json = StrictJson.ofUtf8(ByteBuffer.wrap(Files.readAllBytes(indexFile)));
            return readWeightMap(modelDir, indexFile, json);
        } catch (IOException e) {
            throw new SafetensorsException(indexFile, null, "cannot read index: " + StrictJson.problemOf(e), e);
        }
    }

    private static SortedMap<String, Path> readWeightMap(Path modelDir, Path indexFile, StrictJson json)
            throws IOException {
        SortedMap<String, Path> shards = null;
        json.beginObject("index");
        while (json.hasNext()) {
            if (json.nextName().equals("weight_map")) {
                shards = new TreeMap<>();
                json.beginObject("weight_map");
                while (json.hasNext()) {
                    String tensor = json.nextName();
                    String shard = json.nextString("weight_map value of \"" + tensor + "\"");
                    shards.put(tensor, shardPath(modelDir, indexFile, tensor, shard));
                }
                json.endObject();
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        json.endDocument();
        if (shards == null) {
            throw new SafetensorsException(indexFile, "index has no \"weight_map\"");
        }
        return Collections.unmodifiableSortedMap(shards);
    }

    private static Path shardPath(Path modelDir, Path indexFile, String tensor, String shard) {
        Path folder = modelDir.toAbsolutePath().normalize();
        Path resolved;
        try {
            resolved = folder.resolve(shard).normalize();
        } catch (InvalidPathException e) {
            throw new SafetensorsException(indexFile, tensor, "shard \"" + shard + "\" is not a valid path", e);
        }
        if (!resolved.startsWith(folder) || resolved.equals(folder)) {
            throw new SafetensorsException(indexFile, tensor, "shard \"" + shard + "\" is not a file inside "
                    + modelDir);
        }
        return resolved;
    }
}
