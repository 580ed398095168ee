package dev.dera.lm.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.lm.safetensors.SafetensorsWriter.WritableTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    private static final float[] SPECIAL_VALUES = {
        1.0f, -2.5f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-133f, -0.0f, 0.1f, 70000f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN
    };

    @TempDir
    Path folder;

    @Test
    void f32RoundTripIsBitExact() {
        float[] values = {1.0f, -2.5f, Float.MIN_VALUE, -Float.MAX_VALUE, -0.0f, Float.NaN,
            Float.POSITIVE_INFINITY, 0.1f};
        float[] back = roundTrip(TensorDType.F32, new long[] {2, 4}, values);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "index " + i);
        }
    }

    @Test
    void f16RoundTripStoresTheExpectedBitPatterns() {
        Path file = folder.resolve("f16.safetensors");
        write(file, Map.of("t", WritableTensor.ofFloats(TensorDType.F16, new long[] {12}, SPECIAL_VALUES)));
        // 0x1p-133 underflows to +0; 0.1 rounds to 0x2E66; 70000 overflows to infinity.
        short[] expected = {0x3C00, (short) 0xC100, 0x7BFF, 0x0001, 0x03FF, 0x0000, (short) 0x8000, 0x2E66,
            0x7C00, 0x7C00, (short) 0xFC00, 0x7E00};
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(expected, shorts(read.read("t")));
            float[] back = SafetensorsFile.toFloats(TensorDType.F16, read.read("t"));
            assertEquals(0.099975586f, back[7]);
            assertEquals(1023 * 0x1p-24f, back[4]);
            assertTrue(Float.isNaN(back[11]));
        }
    }

    @Test
    void bf16RoundTripStoresTheExpectedBitPatterns() {
        Path file = folder.resolve("bf16.safetensors");
        write(file, Map.of("t", WritableTensor.ofFloats(TensorDType.BF16, new long[] {3, 4}, SPECIAL_VALUES)));
        // 65504 and 1023 * 2^-24 round up to the next power of two; 0x1p-133 is a BF16 subnormal.
        short[] expected = {0x3F80, (short) 0xC020, 0x4780, 0x3380, 0x3880, 0x0001, (short) 0x8000, 0x3DCD,
            0x4789, 0x7F80, (short) 0xFF80, 0x7FC0};
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(new long[] {3, 4}, read.tensor("t").shape());
            assertArrayEquals(expected, shorts(read.read("t")));
            float[] back = SafetensorsFile.toFloats(TensorDType.BF16, read.read("t"));
            for (int i = 0; i < SPECIAL_VALUES.length - 1; i++) {
                float value = SPECIAL_VALUES[i];
                assertEquals(value, back[i], Math.abs(value) * 0x1p-8f, "BF16 keeps 8 significant bits");
            }
        }
    }

    @Test
    void scalarsEmptyTensorsAndMetadataRoundTrip() {
        Path file = folder.resolve("mixed.safetensors");
        Map<String, WritableTensor> tensors = Map.of(
                "scalar", WritableTensor.ofFloats(TensorDType.F32, new long[0], new float[] {3.5f}),
                "empty", WritableTensor.ofFloats(TensorDType.F16, new long[] {0, 7}, new float[0]),
                "z.last", WritableTensor.ofFloats(TensorDType.BF16, new long[] {2}, new float[] {1f, 2f}));
        Map<String, String> metadata = Map.of("format", "pt", "note", "quotes \" and <tags> and ü");
        SafetensorsWriter.write(file, tensors, metadata);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(List.of("empty", "scalar", "z.last"), List.copyOf(read.tensors().keySet()));
            assertEquals(metadata, read.metadata());
            assertArrayEquals(new float[] {3.5f}, SafetensorsFile.toFloats(TensorDType.F32, read.read("scalar")));
            assertEquals(0, read.read("empty").remaining());
            assertArrayEquals(new float[] {1f, 2f}, SafetensorsFile.toFloats(TensorDType.BF16, read.read("z.last")));
        }
    }

    @Test
    void writingIsDeterministicAndTheHeaderIsPaddedWithSpaces() throws IOException {
        Map<String, WritableTensor> forward = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            float[] values = new float[i + 1];
            values[i] = i;
            forward.put("t" + i, WritableTensor.ofFloats(TensorDType.F32, new long[] {i + 1}, values));
        }
        Map<String, WritableTensor> backward = new LinkedHashMap<>();
        for (int i = 4; i >= 0; i--) {
            backward.put("t" + i, forward.get("t" + i));
        }
        Path first = folder.resolve("first.safetensors");
        Path second = folder.resolve("second.safetensors");
        SafetensorsWriter.write(first, forward, new HashMap<>(Map.of("b", "2", "a", "1")));
        SafetensorsWriter.write(second, backward, new LinkedHashMap<>(Map.of("a", "1", "b", "2")));
        byte[] bytes = Files.readAllBytes(first);
        assertArrayEquals(bytes, Files.readAllBytes(second));

        int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data must start 8-byte aligned");
        String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\"},\"t0\":{\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0,4]},\"t1\":"), header);
        assertTrue(header.strip().endsWith("\"data_offsets\":[40,60]}}"), header);
        assertTrue(header.substring(header.lastIndexOf('}') + 1).isBlank(), "padding is spaces: " + header);
    }

    @Test
    void writerRejectsInconsistentTensors() {
        ByteBuffer sixBytes = ByteBuffer.allocate(6);
        assertThrows(IllegalArgumentException.class,
                () -> new WritableTensor(TensorDType.F32, new long[] {2}, sixBytes));
        assertThrows(IllegalArgumentException.class,
                () -> new WritableTensor(TensorDType.F32, new long[] {-2}, ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class,
                () -> WritableTensor.ofFloats(TensorDType.F16, new long[] {3}, new float[2]));
        WritableTensor scalar = WritableTensor.ofFloats(TensorDType.F32, new long[0], new float[1]);
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(
                folder.resolve("x.safetensors"), Map.of("__metadata__", scalar), Map.of()));
    }

    private float[] roundTrip(TensorDType dtype, long[] shape, float[] values) {
        Path file = folder.resolve(dtype + ".safetensors");
        write(file, Map.of("t", WritableTensor.ofFloats(dtype, shape, values)));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(dtype, read.tensor("t").dtype());
            assertArrayEquals(shape, read.tensor("t").shape());
            return SafetensorsFile.toFloats(dtype, read.read("t"));
        }
    }

    private static void write(Path file, Map<String, WritableTensor> tensors) {
        SafetensorsWriter.write(file, tensors, Map.of());
    }

    private static short[] shorts(ByteBuffer data) {
        short[] values = new short[data.remaining() / 2];
        data.asShortBuffer().get(values);
        return values;
    }
}
