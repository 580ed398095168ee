package dev.dera.lm.safetensors;

import static dev.dera.lm.safetensors.Fixtures.assertRejected;
import static dev.dera.lm.safetensors.Fixtures.sharedModels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.lm.safetensors.SafetensorsWriter.WritableTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path folder;

    @Test
    void shardedFolderReadsTheSameAsASingleFile() throws IOException {
        Map<String, WritableTensor> all = tensors("a", "b", "c", "d");
        Path single = Files.createDirectory(folder.resolve("single"));
        SafetensorsWriter.write(single.resolve("model.safetensors"), all, Map.of());
        Path sharded = Files.createDirectory(folder.resolve("sharded"));
        writeShard(sharded, SHARD_1, "a", "c");
        writeShard(sharded, SHARD_2, "b", "d");
        writeIndex(sharded, Map.of("a", SHARD_1, "c", SHARD_1, "b", SHARD_2, "d", SHARD_2));

        try (Checkpoint one = Checkpoint.open(single); Checkpoint many = Checkpoint.open(sharded)) {
            assertEquals(all.keySet(), one.tensorNames());
            assertEquals(one.tensorNames(), many.tensorNames());
            for (String name : one.tensorNames()) {
                TensorInfo expected = one.tensor(name);
                TensorInfo actual = many.tensor(name);
                assertEquals(expected.dtype(), actual.dtype(), name);
                assertArrayEquals(expected.shape(), actual.shape(), name);
                assertEquals(one.read(name), many.read(name), name);
            }
            many.requireAll(all.keySet());
        }
    }

    @Test
    void opensTheSharedStories260KFolders() {
        try (Checkpoint reference = Checkpoint.open(sharedModels().resolve("stories260K"));
                Checkpoint perturbed = Checkpoint.open(sharedModels().resolve("stories260K-perturbed"))) {
            reference.requireAll(SafetensorsFileTest.stories260KShapes().keySet());
            assertFalse(reference.tensorNames().contains("lm_head.weight"));
            assertTrue(perturbed.tensorNames().contains("lm_head.weight"));
            assertEquals(512 * 64 * 4, perturbed.read("lm_head.weight").remaining());
        }
    }

    @Test
    void folderWithoutWeightsIsAnError() {
        assertRejected(folder, null, "no model.safetensors or model.safetensors.index.json",
                () -> Checkpoint.open(folder));
    }

    @Test
    void missingShardIsAnError() throws IOException {
        writeShard(folder, SHARD_1, "a");
        writeIndex(folder, Map.of("a", SHARD_1, "b", SHARD_2));
        assertRejected(index(), null, "listed shard " + shard(SHARD_2) + " does not exist",
                () -> Checkpoint.open(folder));
    }

    @Test
    void shardOutsideTheFolderIsAnError() throws IOException {
        Path inner = Files.createDirectory(folder.resolve("inner"));
        writeShard(folder, "outside.safetensors", "a");
        writeIndex(inner, Map.of("a", "../outside.safetensors"));
        Path innerIndex = inner.resolve(CheckpointIndex.FILE_NAME);
        assertRejected(innerIndex, "a", "shard \"../outside.safetensors\" is not a file inside",
                () -> Checkpoint.open(inner));
        writeIndex(inner, Map.of("a", folder.resolve("outside.safetensors").toAbsolutePath().toString()));
        assertRejected(innerIndex, "a", "is not a file inside", () -> Checkpoint.open(inner));
        writeIndex(inner, Map.of("a", "."));
        assertRejected(innerIndex, "a", "is not a file inside", () -> Checkpoint.open(inner));
    }

    @Test
    void indexMappingATensorToTheWrongShardIsAnError() throws IOException {
        writeShard(folder, SHARD_1, "a", "b");
        writeShard(folder, SHARD_2, "c");
        writeIndex(folder, Map.of("a", SHARD_1, "b", SHARD_2, "c", SHARD_2));
        assertRejected(shard(SHARD_2), "b", "maps it to this shard, but it is in " + shard(SHARD_1),
                () -> Checkpoint.open(folder));
    }

    @Test
    void indexMappingATensorNoShardHasIsAnError() throws IOException {
        writeShard(folder, SHARD_1, "a");
        writeIndex(folder, Map.of("a", SHARD_1, "ghost", SHARD_1));
        assertRejected(shard(SHARD_1), "ghost", "maps it to this shard, but no shard has it",
                () -> Checkpoint.open(folder));
    }

    @Test
    void tensorInTwoShardsIsAnError() throws IOException {
        writeShard(folder, SHARD_1, "a", "b");
        writeShard(folder, SHARD_2, "b", "c");
        writeIndex(folder, Map.of("a", SHARD_1, "b", SHARD_1, "c", SHARD_2));
        assertRejected(shard(SHARD_2), "b", "also in shard " + shard(SHARD_1), () -> Checkpoint.open(folder));
    }

    @Test
    void tensorTheIndexDoesNotListIsAnError() throws IOException {
        writeShard(folder, SHARD_1, "a", "stray");
        writeIndex(folder, Map.of("a", SHARD_1));
        assertRejected(shard(SHARD_1), "stray", "not listed in", () -> Checkpoint.open(folder));
    }

    @Test
    void malformedIndexIsAnError() throws IOException {
        Files.writeString(index(), "{\"metadata\": {\"total_size\": 8}}");
        assertRejected(index(), null, "index has no \"weight_map\"", () -> Checkpoint.open(folder));
        Files.writeString(index(), "{\"weight_map\": [\"a\"]}");
        assertRejected(index(), null, "weight_map must be an object, found an array", () -> Checkpoint.open(folder));
        Files.writeString(index(), "{\"weight_map\": {\"a\": 1}}");
        assertRejected(index(), null, "weight_map value of \"a\" must be a string", () -> Checkpoint.open(folder));
        Files.writeString(index(), "{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        assertRejected(index(), null, "duplicate key \"a\"", () -> Checkpoint.open(folder));
        Files.writeString(index(), "{\"weight_map\": ");
        assertRejected(index(), null, "cannot read index", () -> Checkpoint.open(folder));
    }

    @Test
    void absentTensorAndRequireAllNameTheFolderAndEveryMissingTensor() throws IOException {
        writeShard(folder, "model.safetensors", "present");
        List<String> wanted = new ArrayList<>(List.of("present"));
        IntStream.range(0, 25).mapToObj(i -> String.format("missing.%02d", i)).forEach(wanted::add);
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            assertRejected(folder, "missing.00", "not found in this checkpoint", () -> checkpoint.tensor("missing.00"));
            assertRejected(folder, "missing.00", "not found in this checkpoint", () -> checkpoint.read("missing.00"));
            String message = assertRejected(folder, null, "25 required tensors are missing: missing.00, missing.01",
                    () -> checkpoint.requireAll(wanted));
            assertTrue(message.contains("missing.19 and 5 more"), message);
            assertFalse(message.contains("missing.20"), message);
            assertFalse(message.contains("present"), message);
            checkpoint.requireAll(List.of("present"));
        }
    }

    private Path index() {
        return folder.resolve(CheckpointIndex.FILE_NAME);
    }

    private Path shard(String name) {
        return folder.toAbsolutePath().normalize().resolve(name);
    }

    /** Small tensors of different dtypes and shapes, each holding distinct values. */
    private static Map<String, WritableTensor> tensors(String... names) {
        TensorDType[] dtypes = TensorDType.values();
        Map<String, WritableTensor> tensors = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            float[] values = new float[2 * (i + 1)];
            for (int j = 0; j < values.length; j++) {
                values[j] = i * 10 + j + 0.5f;
            }
            tensors.put(names[i], WritableTensor.ofFloats(dtypes[i % dtypes.length], new long[] {2, i + 1}, values));
        }
        return tensors;
    }

    private static void writeShard(Path dir, String fileName, String... names) {
        Map<String, WritableTensor> all = tensors("a", "b", "c", "d");
        Map<String, WritableTensor> some = new TreeMap<>();
        for (String name : names) {
            some.put(name, all.getOrDefault(name, all.get("a")));
        }
        SafetensorsWriter.write(dir.resolve(fileName), some, Map.of());
    }

    private static void writeIndex(Path dir, Map<String, String> weightMap) throws IOException {
        String entries = new TreeMap<>(weightMap).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", "));
        Files.writeString(dir.resolve(CheckpointIndex.FILE_NAME),
                "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {" + entries + "}}");
    }
}
