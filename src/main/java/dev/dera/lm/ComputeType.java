package dev.dera.lm;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type a model computes in. bfloat16 is absent on purpose: DJL 0.36's PyTorch engine aborts
 * the JVM when it converts to bfloat16, so bfloat16 weights are widened on load instead.
 */
public enum ComputeType {
    FLOAT32(DataType.FLOAT32),
    FLOAT16(DataType.FLOAT16);

    private final DataType dataType;

    ComputeType(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Parses "float32"/"fp32"/"float16"/"fp16" (any case), with a message that says what is supported. */
    public static ComputeType parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "float32":
            case "fp32":
                return FLOAT32;
            case "float16":
            case "fp16":
                return FLOAT16;
            case "bfloat16":
            case "bf16":
                throw new ModelConfigException("compute dtype bfloat16 is not available with DJL 0.36's PyTorch engine;"
                        + " use float16 (GPU) or float32: bfloat16 weights are converted on load");
            default:
                throw new ModelConfigException("unknown compute dtype \"" + name + "\"; supported: float32, float16");
        }
    }
}
