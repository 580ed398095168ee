package dev.dera.lm.safetensors;

import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes safetensors files with deterministic bytes: tensors sorted by name and stored back to back in that order,
 * metadata sorted by key, and the header padded with spaces so that the data starts at a multiple of 8.
 */
public final class SafetensorsWriter {

    private static final int ALIGNMENT = 8;

    private SafetensorsWriter() {
    }

    /**
     * One tensor to write.
     *
     * @param dtype the element type
     * @param shape the dimensions, outermost first (empty for a scalar)
     * @param data  the little-endian elements, from the buffer's position to its limit
     */
    public record WritableTensor(TensorDType dtype, long[] shape, ByteBuffer data) {

        /**
         * Copies {@code shape}, takes a view of {@code data} from its current position, and checks that the data
         * holds exactly the elements of the shape.
         *
         * @throws IllegalArgumentException if a dimension is negative or the data length does not match the shape
         */
        public WritableTensor {
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
            if (Arrays.stream(shape).anyMatch(dim -> dim < 0)) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            long expected = Shapes.byteLength(dtype, shape);
            if (data.remaining() != expected) {
                throw new IllegalArgumentException(dtype + Arrays.toString(shape) + " needs " + expected
                        + " bytes, data has " + data.remaining());
            }
        }

        /** A copy of the dimensions, outermost first. */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /**
         * A tensor of {@code dtype} holding {@code values}, narrowed to F16 or BF16 by rounding to nearest even.
         *
         * @throws IllegalArgumentException if the number of values does not match the shape
         */
        public static WritableTensor ofFloats(TensorDType dtype, long[] shape, float[] values) {
            if (values.length != Shapes.elementCount(shape)) {
                throw new IllegalArgumentException(values.length + " values do not fill shape "
                        + Arrays.toString(shape));
            }
            ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                switch (dtype) {
                    case F32 -> data.putFloat(value);
                    case F16 -> data.putShort(HalfFloats.floatToF16(value));
                    case BF16 -> data.putShort(HalfFloats.floatToBf16(value));
                }
            }
            return new WritableTensor(dtype, shape, data.flip());
        }
    }

    /**
     * Writes {@code tensors} and {@code metadata} (omitted from the header when empty) to {@code file}, replacing it.
     *
     * @throws IllegalArgumentException if a tensor is called {@code __metadata__}
     * @throws SafetensorsException     naming the file if it cannot be written
     */
    public static void write(Path file, Map<String, WritableTensor> tensors, Map<String, String> metadata) {
        SortedMap<String, WritableTensor> sorted = new TreeMap<>(tensors);
        if (sorted.containsKey(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("a tensor cannot be called " + SafetensorsHeader.METADATA_KEY);
        }
        byte[] header = paddedHeader(sorted, new TreeMap<>(metadata));
        ByteBuffer headerLength = ByteBuffer.allocate(SafetensorsHeader.LENGTH_PREFIX_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, headerLength);
            writeFully(out, ByteBuffer.wrap(header));
            for (WritableTensor tensor : sorted.values()) {
                writeFully(out, tensor.data().duplicate());
            }
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot write: " + e, e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static byte[] paddedHeader(SortedMap<String, WritableTensor> tensors, SortedMap<String, String> metadata) {
        byte[] json = headerJson(tensors, metadata).getBytes(StandardCharsets.UTF_8);
        int paddedLength = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] padded = Arrays.copyOf(json, paddedLength);
        Arrays.fill(padded, json.length, paddedLength, (byte) ' ');
        return padded;
    }

    private static String headerJson(SortedMap<String, WritableTensor> tensors, SortedMap<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            if (!metadata.isEmpty()) {
                json.name(SafetensorsHeader.METADATA_KEY).beginObject();
                for (Map.Entry<String, String> entry : metadata.entrySet()) {
                    json.name(entry.getKey()).value(entry.getValue());
                }
                json.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, WritableTensor> entry : tensors.entrySet()) {
                WritableTensor tensor = entry.getValue();
                long end = offset + tensor.data().remaining();
                json.name(entry.getKey()).beginObject();
                json.name("dtype").value(tensor.dtype().name());
                writeLongs(json.name("shape"), tensor.shape());
                writeLongs(json.name("data_offsets"), new long[] {offset, end});
                json.endObject();
                offset = end;
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to a string", e);
        }
        return text.toString();
    }

    private static void writeLongs(JsonWriter json, long[] values) throws IOException {
        json.beginArray();
        for (long value : values) {
            json.value(value);
        }
        json.endArray();
    }
}
