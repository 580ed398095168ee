package dev.dera.lm.safetensors;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The tensor element types this project reads and writes, named as in safetensors headers. */
public enum TensorDType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (half precision). */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16(2);

    private final int byteSize;

    TensorDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The dtype a safetensors header calls {@code name}.
     *
     * @throws SafetensorsException naming {@code file}, {@code tensor} and the dtype when it is not supported
     */
    public static TensorDType parse(String name, Path file, String tensor) {
        for (TensorDType dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        String supported = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        throw new SafetensorsException(file, tensor,
                "unsupported dtype \"" + name + "\" (supported: " + supported + ")");
    }
}
