package dev.dera.lm.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SortedMap;

/**
 * One open safetensors file whose header has been validated completely. Reads are memory-mapped and thread-safe;
 * buffers returned by {@link #read} stay valid after {@link #close}.
 */
public final class SafetensorsFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final SortedMap<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.tensors = header.tensors();
        this.metadata = header.metadata();
    }

    /**
     * Opens {@code file} and validates its whole header.
     *
     * @throws SafetensorsException naming the file, and the tensor where there is one, if it cannot be opened or its
     *                              header is malformed
     */
    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot open: " + e, e);
        }
        try {
            return new SafetensorsFile(file, channel, SafetensorsHeader.read(file, channel));
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e instanceof SafetensorsException known ? known
                    : new SafetensorsException(file, null, "cannot read header: " + e, e);
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** All tensors by name, sorted and unmodifiable. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} entries, unmodifiable (empty when there are none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws SafetensorsException naming the file and tensor if the file has no such tensor
     */
    public TensorInfo tensor(String name) {
        TensorInfo tensor = tensors.get(name);
        if (tensor == null) {
            throw new SafetensorsException(path, name, "not found");
        }
        return tensor;
    }

    /**
     * The data of tensor {@code name}: a read-only, little-endian, memory-mapped buffer of exactly its byte length.
     *
     * @throws SafetensorsException naming the file and tensor if it is absent, over {@link Integer#MAX_VALUE} bytes,
     *                              no longer fully in the file, or cannot be mapped
     */
    public ByteBuffer read(String name) {
        TensorInfo tensor = tensor(name);
        if (tensor.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsException(path, name, tensor.byteLength() + " bytes is more than one buffer can"
                    + " hold (" + Integer.MAX_VALUE + "); tensors this large are not supported");
        }
        if (!channel.isOpen()) {
            throw new SafetensorsException(path, name, "file is closed");
        }
        try {
            long end = tensor.dataStart() + tensor.byteLength();
            if (channel.size() < end) {
                throw new SafetensorsException(path, name, "file shrank to " + channel.size()
                        + " bytes since it was opened; the tensor ends at byte " + end);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.dataStart(), tensor.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafetensorsException(path, name, "cannot map data: " + e, e);
        }
    }

    /**
     * Converts little-endian elements of {@code dtype}, from the buffer's position to its limit, to float32 on the
     * host; the buffer's position and byte order are left unchanged.
     *
     * @throws IllegalArgumentException if the remaining bytes are not a whole number of elements
     */
    public static float[] toFloats(TensorDType dtype, ByteBuffer data) {
        ByteBuffer bytes = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException(bytes.remaining() + " bytes is not a whole number of " + dtype
                    + " elements");
        }
        float[] values = new float[bytes.remaining() / dtype.byteSize()];
        if (dtype == TensorDType.F32) {
            bytes.asFloatBuffer().get(values);
            return values;
        }
        ShortBuffer halves = bytes.asShortBuffer();
        for (int i = 0; i < values.length; i++) {
            short bits = halves.get(i);
            values[i] = dtype == TensorDType.F16 ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
        }
        return values;
    }

    /** Closes the file; buffers already returned stay readable. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new SafetensorsException(path, null, "cannot close: " + e, e);
        }
    }
}
