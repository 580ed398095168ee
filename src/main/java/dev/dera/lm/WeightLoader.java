package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dera.lm.safetensors.Checkpoint;
import dev.dera.lm.safetensors.SafetensorsFile;
import dev.dera.lm.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/** Turns checkpoint tensors into NDArrays of the compute type, checking each shape against the config. */
final class WeightLoader implements WeightSource {
    /** The largest finite float16 value. */
    private static final float FLOAT16_MAX = 65504f;

    private final Checkpoint checkpoint;
    private final Map<String, long[]> layout;
    private final Map<String, String> storedNames;
    private final NDManager manager;
    private final DataType computeType;

    /** Checks up front, as {@link ModelFolderCheck} does, that the checkpoint holds every tensor the config needs. */
    WeightLoader(Checkpoint checkpoint, ModelConfig config, NDManager manager, DataType computeType) {
        this.checkpoint = checkpoint;
        this.layout = TensorLayout.shapes(config);
        this.manager = manager;
        this.computeType = computeType;
        this.storedNames = ModelFolderCheck.requireTensors(checkpoint, config);
    }

    /** The arrays are the model's own: it may fuse projections at load and close the parts. */
    @Override
    public boolean fusible() {
        return true;
    }

    /** Loads {@code name}, one of the tensors the config needs (their shapes were checked up front). */
    @Override
    public NDArray load(String name) {
        TensorInfo info = checkpoint.tensor(storedNames.get(name));
        ByteBuffer data = checkpoint.read(storedNames.get(name));
        Shape shape = new Shape(layout.get(name));
        NDArray stored;
        switch (info.dtype()) {
            case F32:
                stored = manager.create(data, shape, DataType.FLOAT32);
                break;
            case F16:
                stored = manager.create(data, shape, DataType.FLOAT16);
                break;
            case BF16:
                float[] widened = SafetensorsFile.toFloats(info.dtype(), data);
                stored = manager.create(FloatBuffer.wrap(widened), shape, DataType.FLOAT32);
                break;
            default:
                throw new ModelConfigException("tensor " + name + " has unsupported dtype " + info.dtype());
        }
        if (stored.getDataType() == computeType) {
            return stored;
        }
        try (stored) {
            if (computeType == DataType.FLOAT16) {
                requireFloat16Range(name, stored);
            }
            return stored.toType(computeType, true);
        }
    }

    /** Refuses to narrow a tensor with values beyond float16's largest finite value, which would become infinite. */
    private static void requireFloat16Range(String name, NDArray weights) {
        try (NDArray magnitudes = weights.abs(); NDArray largest = magnitudes.max()) {
            float value = largest.getFloat();
            if (!(value <= FLOAT16_MAX)) {
                throw new ModelConfigException("tensor " + name + " has a value of magnitude " + value
                        + ", beyond float16's range (+-" + FLOAT16_MAX + "): load it with model.dtype = float32");
            }
        }
    }
}
