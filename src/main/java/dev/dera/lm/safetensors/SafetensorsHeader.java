package dev.dera.lm.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The completely validated header of one safetensors file: its tensors (with absolute offsets) and metadata. */
final class SafetensorsHeader {

    /** Bytes of the little-endian header length that starts every file. */
    static final int LENGTH_PREFIX_BYTES = 8;
    /** The largest header accepted; real headers are kilobytes, even for large sharded models. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key that holds string-to-string metadata instead of a tensor. */
    static final String METADATA_KEY = "__metadata__";

    private final Path file;
    private final long dataStart;
    private final long dataLength;
    private final SortedMap<String, TensorInfo> tensors = new TreeMap<>();
    private Map<String, String> metadata = Map.of();

    private SafetensorsHeader(Path file, long dataStart, long dataLength) {
        this.file = file;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
    }

    /**
     * Reads and validates the header of {@code file} through {@code channel}.
     *
     * @throws SafetensorsException naming the file, and the tensor where there is one, if anything is wrong
     */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_PREFIX_BYTES) {
            throw new SafetensorsException(file, "file is " + fileSize + " bytes, too short for the "
                    + LENGTH_PREFIX_BYTES + "-byte header length");
        }
        long headerLength = readFully(channel, 0, LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(file, headerLength, fileSize);
        ByteBuffer json = readFully(channel, LENGTH_PREFIX_BYTES, (int) headerLength);
        long dataStart = LENGTH_PREFIX_BYTES + headerLength;
        SafetensorsHeader header = new SafetensorsHeader(file, dataStart, fileSize - dataStart);
        header.parse(json);
        header.checkNoOverlaps();
        return header;
    }

    /** The tensors by name, sorted and unmodifiable. */
    SortedMap<String, TensorInfo> tensors() {
        return Collections.unmodifiableSortedMap(tensors);
    }

    /** The {@code __metadata__} entries, unmodifiable (empty when the header has none). */
    Map<String, String> metadata() {
        return metadata;
    }

    private static void checkHeaderLength(Path file, long headerLength, long fileSize) {
        String length = Long.toUnsignedString(headerLength);
        if (headerLength == 0) {
            throw new SafetensorsException(file, "header length is 0");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsException(file, "header length " + length + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - LENGTH_PREFIX_BYTES) {
            throw new SafetensorsException(file, "header length " + length + " runs past the end of the file ("
                    + fileSize + " bytes)");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("file ended at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private void parse(ByteBuffer utf8) {
        try {
            StrictJson json = StrictJson.ofUtf8(utf8);
            json.beginObject("header");
            while (json.hasNext()) {
                String key = json.nextName();
                if (key.equals(METADATA_KEY)) {
                    metadata = readMetadata(json);
                } else {
                    tensors.put(key, readTensor(json, key));
                }
            }
            json.endObject();
            json.endDocument();
        } catch (IOException e) {
            throw malformed(null, e);
        }
    }

    private SafetensorsException malformed(String tensor, IOException e) {
        return new SafetensorsException(file, tensor, "malformed header: " + StrictJson.problemOf(e), e);
    }

    private static Map<String, String> readMetadata(StrictJson json) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>();
        json.beginObject(METADATA_KEY);
        while (json.hasNext()) {
            String key = json.nextName();
            entries.put(key, json.nextString(METADATA_KEY + " value of \"" + key + "\""));
        }
        json.endObject();
        return Collections.unmodifiableSortedMap(entries);
    }

    private TensorInfo readTensor(StrictJson json, String name) {
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        try {
            json.beginObject("the entry");
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "dtype" -> dtype = json.nextString("dtype");
                    case "shape" -> shape = json.nextNonNegativeLongs("shape");
                    case "data_offsets" -> offsets = json.nextNonNegativeLongs("data_offsets");
                    default -> json.skipValue();
                }
            }
            json.endObject();
        } catch (IOException e) {
            throw malformed(name, e);
        }
        return toTensorInfo(name, TensorDType.parse(required(dtype, name, "dtype"), file, name),
                required(shape, name, "shape"), required(offsets, name, "data_offsets"));
    }

    private <T> T required(T value, String tensor, String field) {
        if (value == null) {
            throw new SafetensorsException(file, tensor, "entry has no \"" + field + "\"");
        }
        return value;
    }

    private TensorInfo toTensorInfo(String name, TensorDType dtype, long[] shape, long[] offsets) {
        String shapeText = Arrays.toString(shape);
        for (long dim : shape) {
            check(dim <= Integer.MAX_VALUE, name, "shape " + shapeText + " has a dimension above "
                    + Integer.MAX_VALUE);
        }
        long byteLength;
        try {
            byteLength = Shapes.byteLength(dtype, shape);
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, name, "shape " + shapeText + " has too many elements", e);
        }
        check(offsets.length == 2, name, "data_offsets must be [begin, end], found " + Arrays.toString(offsets));
        long begin = offsets[0];
        long end = offsets[1];
        check(begin <= end, name, "data_offsets begin " + begin + " is after end " + end);
        check(end <= dataLength, name, "data_offsets end " + end + " is beyond the data section ("
                + dataLength + " bytes)");
        check(end - begin == byteLength, name, "data_offsets span " + (end - begin) + " bytes but " + dtype
                + shapeText + " needs " + byteLength);
        return new TensorInfo(name, dtype, shape, dataStart + begin, byteLength);
    }

    private void checkNoOverlaps() {
        TensorInfo furthest = null;
        Iterable<TensorInfo> byStart = tensors.values().stream()
                .filter(tensor -> tensor.byteLength() > 0)
                .sorted(Comparator.comparingLong(TensorInfo::dataStart))::iterator;
        for (TensorInfo tensor : byStart) {
            if (furthest != null) {
                check(tensor.dataStart() >= end(furthest), tensor.name(), "data overlaps tensor '"
                        + furthest.name() + "'");
            }
            if (furthest == null || end(tensor) > end(furthest)) {
                furthest = tensor;
            }
        }
    }

    private static long end(TensorInfo tensor) {
        return tensor.dataStart() + tensor.byteLength();
    }

    private void check(boolean condition, String tensor, String problem) {
        if (!condition) {
            throw new SafetensorsException(file, tensor, problem);
        }
    }
}
