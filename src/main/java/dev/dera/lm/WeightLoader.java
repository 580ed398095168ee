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
import java.util.Arrays;
import java.util.Map;

/** Turns checkpoint tensors into NDArrays of the compute type, checking each shape against the config. */
final class WeightLoader implements WeightSource {
    private final Checkpoint checkpoint;
    private final Map<String, long[]> layout;
    private final Map<String, String> storedNames;
    private final NDManager manager;
    private final DataType computeType;

    /** Checks up front that the checkpoint holds every tensor the config needs, naming all that are missing. */
    WeightLoader(Checkpoint checkpoint, ModelConfig config, NDManager manager, DataType computeType) {
        this.checkpoint = checkpoint;
        this.layout = TensorLayout.shapes(config);
        this.manager = manager;
        this.computeType = computeType;
        this.storedNames = TensorLayout.storedNames(config, checkpoint.tensorNames());
        checkpoint.requireAll(storedNames.values());
    }

    /** Loads {@code name}, which must have exactly the shape config.json implies. */
    @Override
    public NDArray load(String name) {
        long[] expectedShape = layout.get(name);
        String storedName = storedNames.getOrDefault(name, name);
        TensorInfo info = checkpoint.tensor(storedName);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new ModelConfigException("tensor " + name + " has shape " + Arrays.toString(info.shape())
                    + " but config.json implies " + Arrays.toString(expectedShape));
        }
        ByteBuffer data = checkpoint.read(storedName);
        Shape shape = new Shape(expectedShape);
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
            return stored.toType(computeType, true);
        }
    }
}
