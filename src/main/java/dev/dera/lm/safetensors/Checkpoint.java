package dev.dera.lm.safetensors;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face checkpoint folder: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists in its {@code weight_map} (tensor name to shard file). Every shard is
 * opened and cross-checked against the index before {@link #open} returns.
 */
public final class Checkpoint implements AutoCloseable {

    /** The single-file weights name; like Hugging Face, it wins over an index next to it. */
    static final String SINGLE_FILE_NAME = "model.safetensors";
    private static final int MISSING_NAMES_SHOWN = 20;

    private final Path modelDir;
    private final List<SafetensorsFile> files;
    private final SortedMap<String, SafetensorsFile> fileOfTensor;

    private Checkpoint(Path modelDir, List<SafetensorsFile> files, SortedMap<String, SafetensorsFile> fileOfTensor) {
        this.modelDir = modelDir;
        this.files = files;
        this.fileOfTensor = Collections.unmodifiableSortedMap(fileOfTensor);
    }

    /**
     * Opens the weights in {@code modelDir}.
     *
     * @throws SafetensorsException if the folder has neither weights file, the index is malformed or names a shard
     *                              outside the folder, a shard is missing or malformed, the index maps a tensor to a
     *                              shard that lacks it, or a tensor is in two shards
     */
    public static Checkpoint open(Path modelDir) {
        Path singleFile = modelDir.resolve(SINGLE_FILE_NAME);
        Path indexFile = modelDir.resolve(CheckpointIndex.FILE_NAME);
        if (Files.isRegularFile(singleFile)) {
            SafetensorsFile file = SafetensorsFile.open(singleFile);
            return new Checkpoint(modelDir, List.of(file), fileOfEachTensor(file));
        }
        if (Files.isRegularFile(indexFile)) {
            return openShards(modelDir, indexFile, CheckpointIndex.read(modelDir, indexFile));
        }
        throw new SafetensorsException(modelDir, "no " + SINGLE_FILE_NAME + " or " + CheckpointIndex.FILE_NAME
                + " in this folder");
    }

    /** The names of all tensors, sorted and unmodifiable. */
    public Set<String> tensorNames() {
        return fileOfTensor.keySet();
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws SafetensorsException naming the folder and the tensor if the checkpoint has no such tensor
     */
    public TensorInfo tensor(String name) {
        return fileOf(name).tensor(name);
    }

    /**
     * The data of the tensor called {@code name}, as {@link SafetensorsFile#read} gives it.
     *
     * @throws SafetensorsException naming the folder or shard and the tensor if it is absent or cannot be read
     */
    public ByteBuffer read(String name) {
        return fileOf(name).read(name);
    }

    /**
     * Checks that every one of {@code names} is in the checkpoint.
     *
     * @throws SafetensorsException naming the folder and listing all missing names (the first 20 and a count)
     */
    public void requireAll(Collection<String> names) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(names));
        missing.removeAll(fileOfTensor.keySet());
        if (missing.isEmpty()) {
            return;
        }
        String shown = String.join(", ", missing.subList(0, Math.min(missing.size(), MISSING_NAMES_SHOWN)));
        String more = missing.size() > MISSING_NAMES_SHOWN
                ? " and " + (missing.size() - MISSING_NAMES_SHOWN) + " more" : "";
        throw new SafetensorsException(modelDir, missing.size() + " required tensors are missing: " + shown + more);
    }

    /** Closes every file of the checkpoint; buffers already returned stay readable. */
    @Override
    public void close() {
        closeAll(files, null);
    }

    private SafetensorsFile fileOf(String name) {
        SafetensorsFile file = fileOfTensor.get(name);
        if (file == null) {
            throw new SafetensorsException(modelDir, name, "not found in this checkpoint");
        }
        return file;
    }

    private static SortedMap<String, SafetensorsFile> fileOfEachTensor(SafetensorsFile file) {
        SortedMap<String, SafetensorsFile> result = new TreeMap<>();
        file.tensors().keySet().forEach(name -> result.put(name, file));
        return result;
    }

    private static Checkpoint openShards(Path modelDir, Path indexFile, SortedMap<String, Path> shardOfTensor) {
        List<SafetensorsFile> shards = new ArrayList<>();
        try {
            for (Path shard : new TreeSet<>(shardOfTensor.values())) {
                if (!Files.isRegularFile(shard)) {
                    throw new SafetensorsException(indexFile, "listed shard " + shard + " does not exist");
                }
                shards.add(SafetensorsFile.open(shard));
            }
            return new Checkpoint(modelDir, List.copyOf(shards), crossCheck(indexFile, shardOfTensor, shards));
        } catch (RuntimeException e) {
            closeAll(shards, e);
            throw e;
        }
    }

    /** Checks that each tensor is in exactly one shard, the one the index names, and that the index lists it. */
    private static SortedMap<String, SafetensorsFile> crossCheck(Path indexFile, Map<String, Path> shardOfTensor,
            List<SafetensorsFile> shards) {
        SortedMap<String, SafetensorsFile> fileOfTensor = new TreeMap<>();
        for (SafetensorsFile shard : shards) {
            for (String tensor : shard.tensors().keySet()) {
                SafetensorsFile other = fileOfTensor.putIfAbsent(tensor, shard);
                if (other != null) {
                    throw new SafetensorsException(shard.path(), tensor, "also in shard " + other.path());
                }
                if (!shardOfTensor.containsKey(tensor)) {
                    throw new SafetensorsException(shard.path(), tensor, "not listed in " + indexFile);
                }
            }
        }
        shardOfTensor.forEach((tensor, shard) -> {
            SafetensorsFile actual = fileOfTensor.get(tensor);
            if (actual == null || !actual.path().equals(shard)) {
                String whereItIs = actual == null ? "no shard has it" : "it is in " + actual.path();
                throw new SafetensorsException(shard, tensor, indexFile.getFileName() + " maps it to this shard,"
                        + " but " + whereItIs);
            }
        });
        return fileOfTensor;
    }

    private static void closeAll(List<SafetensorsFile> files, RuntimeException pending) {
        RuntimeException failure = pending;
        for (SafetensorsFile file : files) {
            try {
                file.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null && failure != pending) {
            throw failure;
        }
    }
}
