package dev.dera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dera.lm.FloatWeights;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.TensorLayout;
import dev.dera.lm.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A model's weights as float32 arrays that require gradients, one per tensor of {@link TensorLayout#shapes}, in a
 * manager of their own. Serves as the {@link WeightSource} of {@code LanguageModel.fromWeights}, so training runs the
 * very forward pass that inference runs.
 */
public final class TrainableWeights implements WeightSource, AutoCloseable {

    private static final double INIT_STD = 0.02;

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> arrays;

    private TrainableWeights(ModelConfig config, NDManager manager, Map<String, float[]> values) {
        this.config = config;
        this.manager = manager;
        Map<String, NDArray> created = new LinkedHashMap<>();
        TensorLayout.shapes(config).forEach((name, shape) -> {
            NDArray array = manager.create(values.get(name), new Shape(shape));
            array.setRequiresGradient(true);
            created.put(name, array);
        });
        this.arrays = Collections.unmodifiableMap(created);
    }

    /**
     * Seeded initialization from scratch: norm weights 1, every other weight Gaussian with standard deviation 0.02,
     * output projections (o_proj, down_proj) scaled down by sqrt(2 * layers) as in GPT-2.
     */
    public static TrainableWeights initialize(ModelConfig config, long seed, NDManager parent) {
        Random random = new Random(seed);
        double residualStd = INIT_STD / Math.sqrt(2.0 * config.numLayers());
        Map<String, float[]> values = new LinkedHashMap<>();
        TensorLayout.shapes(config).forEach((name, shape) -> {
            float[] tensor = new float[elementCount(shape)];
            if (name.endsWith("norm.weight")) {
                Arrays.fill(tensor, 1f);
            } else {
                double std = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") ? residualStd : INIT_STD;
                for (int i = 0; i < tensor.length; i++) {
                    tensor[i] = (float) (std * random.nextGaussian());
                }
            }
            values.put(name, tensor);
        });
        return new TrainableWeights(config, parent.newSubManager(), values);
    }

    /** The weights of a Hugging Face model folder (any stored float type), widened to float32. */
    public static TrainableWeights load(Path dir, NDManager parent) {
        ModelConfig config = ModelConfig.load(dir);
        return new TrainableWeights(config, parent.newSubManager(), FloatWeights.read(dir, config));
    }

    public ModelConfig config() {
        return config;
    }

    /** The manager that owns the weights: a parent for per-step managers on the same device. */
    public NDManager manager() {
        return manager;
    }

    /** Every weight by tensor name, in layout order. */
    public Map<String, NDArray> arrays() {
        return arrays;
    }

    @Override
    public NDArray load(String name) {
        NDArray array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException("no weight " + name + " in this model");
        }
        return array;
    }

    /** A host copy of every weight, as {@code ModelFolderWriter.write} takes them. */
    public Map<String, float[]> toFloats() {
        Map<String, float[]> values = new LinkedHashMap<>();
        arrays.forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    /** SHA-256 over the tensor names and the float32 bytes of every weight, in layout order. */
    public String sha256() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            arrays.forEach((name, array) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                float[] values = array.toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number of scalar weights. */
    public long parameterCount() {
        return arrays.values().stream().mapToLong(NDArray::size).sum();
    }

    @Override
    public void close() {
        manager.close();
    }

    private static int elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return Math.toIntExact(count);
    }
}
