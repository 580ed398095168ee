package dev.dera.lm.safetensors;

import static dev.dera.lm.safetensors.Fixtures.assertRejected;
import static dev.dera.lm.safetensors.Fixtures.sharedModels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    private static final Path REFERENCE = sharedModels().resolve("stories260K/model.safetensors");
    private static final Path PERTURBED = sharedModels().resolve("stories260K-perturbed/model.safetensors");

    /** The tensor names and shapes of the 5-layer stories260K Llama (dim 64, 4 KV heads of 8, hidden 172). */
    static Map<String, long[]> stories260KShapes() {
        Map<String, long[]> shapes = new TreeMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {512, 64});
        shapes.put("model.norm.weight", new long[] {64});
        for (int layer = 0; layer < 5; layer++) {
            String prefix = "model.layers." + layer + ".";
            shapes.put(prefix + "input_layernorm.weight", new long[] {64});
            shapes.put(prefix + "post_attention_layernorm.weight", new long[] {64});
            shapes.put(prefix + "self_attn.q_proj.weight", new long[] {64, 64});
            shapes.put(prefix + "self_attn.k_proj.weight", new long[] {32, 64});
            shapes.put(prefix + "self_attn.v_proj.weight", new long[] {32, 64});
            shapes.put(prefix + "self_attn.o_proj.weight", new long[] {64, 64});
            shapes.put(prefix + "mlp.gate_proj.weight", new long[] {172, 64});
            shapes.put(prefix + "mlp.up_proj.weight", new long[] {172, 64});
            shapes.put(prefix + "mlp.down_proj.weight", new long[] {64, 172});
        }
        return shapes;
    }

    @Test
    void readsTheTensorsOfStories260K() {
        try (SafetensorsFile file = SafetensorsFile.open(REFERENCE)) {
            assertTensors(stories260KShapes(), file);
            assertFalse(file.tensors().containsKey("lm_head.weight"), "embeddings are tied");
            assertEquals(Map.of("format", "pt"), file.metadata());
            assertArrayEquals(new int[] {32, 64}, file.tensor("model.layers.0.self_attn.k_proj.weight").intShape());
            assertEquals(512L * 64, file.tensor("model.embed_tokens.weight").elementCount());
        }
    }

    @Test
    void perturbedSiblingHasAnUntiedLmHead() {
        Map<String, long[]> expected = stories260KShapes();
        expected.put("lm_head.weight", new long[] {512, 64});
        try (SafetensorsFile file = SafetensorsFile.open(PERTURBED)) {
            assertTensors(expected, file);
        }
    }

    @Test
    void readReturnsTheBytesAtTheTensorsOffsetInLittleEndian() throws IOException {
        String name = "model.norm.weight";
        try (SafetensorsFile file = SafetensorsFile.open(REFERENCE)) {
            ByteBuffer data = file.read(name);
            assertEquals(64 * 4, data.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, data.order());
            assertThrows(ReadOnlyBufferException.class, () -> data.put(0, (byte) 1));
            float[] values = SafetensorsFile.toFloats(TensorDType.F32, data);
            assertArrayEquals(independentlyReadFloats(REFERENCE, name, 64), values);
            assertTrue(IntStream.range(0, values.length).allMatch(i -> Float.isFinite(values[i])));
            assertTrue(IntStream.range(1, values.length).anyMatch(i -> values[i] != values[0]), "norm is not constant");
        }
    }

    @Test
    void perturbationTouchesOnlyTheLastLayersMlpAndTheHead() {
        try (SafetensorsFile reference = SafetensorsFile.open(REFERENCE);
                SafetensorsFile perturbed = SafetensorsFile.open(PERTURBED)) {
            assertArrayEquals(floats(reference, "model.embed_tokens.weight"),
                    floats(perturbed, "model.embed_tokens.weight"));
            assertArrayEquals(floats(reference, "model.layers.0.mlp.up_proj.weight"),
                    floats(perturbed, "model.layers.0.mlp.up_proj.weight"));
            assertFalse(Arrays.equals(floats(reference, "model.layers.4.mlp.up_proj.weight"),
                    floats(perturbed, "model.layers.4.mlp.up_proj.weight")));
            assertFalse(Arrays.equals(floats(reference, "model.embed_tokens.weight"),
                    floats(perturbed, "lm_head.weight")));
        }
    }

    @Test
    void absentTensorIsAnErrorNamingFileAndTensor() {
        try (SafetensorsFile file = SafetensorsFile.open(REFERENCE)) {
            assertRejected(REFERENCE, "lm_head.weight", "not found", () -> file.tensor("lm_head.weight"));
            assertRejected(REFERENCE, "lm_head.weight", "not found", () -> file.read("lm_head.weight"));
        }
    }

    @Test
    void readAfterCloseIsAnErrorButEarlierBuffersStayReadable() {
        SafetensorsFile file = SafetensorsFile.open(REFERENCE);
        ByteBuffer before = file.read("model.norm.weight");
        file.close();
        assertRejected(REFERENCE, "model.norm.weight", "closed", () -> file.read("model.norm.weight"));
        assertEquals(64, SafetensorsFile.toFloats(TensorDType.F32, before).length);
    }

    @Test
    void missingFileIsAnErrorNamingIt(@TempDir Path folder) {
        Path absent = folder.resolve("absent.safetensors");
        assertRejected(absent, null, "cannot open", () -> SafetensorsFile.open(absent));
    }

    @Test
    void toFloatsRejectsPartialElementsAndLeavesTheBufferAlone() {
        ByteBuffer threeBytes = ByteBuffer.allocate(3);
        assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.toFloats(TensorDType.F16, threeBytes));
        ByteBuffer bigEndian = ByteBuffer.allocate(4).putShort((short) 0x3C00).putShort((short) 0x00C1).flip();
        bigEndian.position(2);
        assertArrayEquals(new float[] {-2.5f}, SafetensorsFile.toFloats(TensorDType.F16, bigEndian));
        assertEquals(2, bigEndian.position());
        assertEquals(ByteOrder.BIG_ENDIAN, bigEndian.order());
    }

    private static void assertTensors(Map<String, long[]> expected, SafetensorsFile file) {
        assertEquals(expected.keySet(), file.tensors().keySet());
        assertEquals(Set.of(TensorDType.F32), Set.copyOf(file.tensors().values().stream()
                .map(TensorInfo::dtype).toList()), "stories260K is stored in F32");
        expected.forEach((name, shape) -> assertArrayEquals(shape, file.tensor(name).shape(), name));
    }

    private static float[] floats(SafetensorsFile file, String name) {
        return SafetensorsFile.toFloats(file.tensor(name).dtype(), file.read(name));
    }

    /** Reads a tensor's floats with plain file I/O, locating it from the raw header length and data_offsets. */
    private static float[] independentlyReadFloats(Path path, String name, int count) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(path.toFile(), "r")) {
            long headerLength = Long.reverseBytes(raw.readLong());
            byte[] header = new byte[(int) headerLength];
            raw.readFully(header);
            JsonObject entry = JsonParser.parseString(new String(header, StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonObject(name);
            long begin = entry.getAsJsonArray("data_offsets").get(0).getAsLong();
            raw.seek(8 + headerLength + begin);
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = Float.intBitsToFloat(Integer.reverseBytes(raw.readInt()));
            }
            return values;
        }
    }
}
