package dev.dera.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dera.lm.safetensors.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Llama-family causal language model (Llama, Mistral, Qwen2) loaded from a Hugging Face folder and run with DJL
 * NDArray operations, batched, with a {@link KvCache}.
 *
 * <p>Rows of a batch are left-padded; every row carries its own positions. Each forward call keeps its temporaries
 * in an {@link NDScope} and returns float32 logits owned by the caller's manager, so memory stays flat over long
 * decodes.
 */
public final class LlamaModel implements AutoCloseable {
    private static final float MASKED = -1e30f;

    private final ModelConfig config;
    private final GenerationConfig generation;
    private final NDManager manager;
    private final DataType dataType;
    private final NDArray embedding;
    private final NDArray lmHeadT;
    private final NDArray finalNorm;
    private final List<DecoderLayer> layers;
    private final RotaryEmbedding rotary;

    private LlamaModel(ModelConfig config, GenerationConfig generation, NDManager manager,
            DataType dataType, WeightSource weights) {
        this.config = config;
        this.generation = generation;
        this.manager = manager;
        this.dataType = dataType;
        embedding = weights.load(TensorLayout.EMBEDDING);
        lmHeadT = (config.tieWordEmbeddings() ? embedding : weights.load(TensorLayout.LM_HEAD)).transpose();
        finalNorm = weights.load(TensorLayout.FINAL_NORM);
        layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(new DecoderLayer(i, config, weights));
        }
        rotary = new RotaryEmbedding(manager, config, dataType);
    }

    /** Loads a Hugging Face model folder onto a device. */
    public static LlamaModel load(Path directory, Device device, ComputeType computeType) {
        return load(directory, ModelConfig.load(directory), device, computeType);
    }

    /** Loads the weights of a folder whose config.json the caller has read (e.g. a reward model's backbone). */
    public static LlamaModel load(Path directory, ModelConfig config, Device device, ComputeType computeType) {
        DjlRuntime.ensureOffline();
        GenerationConfig generation = GenerationConfig.load(directory);
        NDManager manager = NDManager.newBaseManager(device);
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            WeightSource weights = new WeightLoader(checkpoint, config, manager, computeType.dataType());
            return new LlamaModel(config, generation, manager, computeType.dataType(), weights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A model over weights that the caller owns (e.g. trainable arrays with gradients): the model computes with
     * them but never closes them. Closing the model closes only its own caches and tables, made in a sub-manager
     * of {@code parent}.
     */
    public static LlamaModel fromWeights(ModelConfig config, GenerationConfig generation, NDManager parent,
            WeightSource weights) {
        NDManager manager = parent.newSubManager();
        DataType dataType = weights.load(TensorLayout.EMBEDDING).getDataType();
        return new LlamaModel(config, generation, manager, dataType, weights);
    }

    /** Loads a model folder on the CPU in float32. */
    public static LlamaModel load(Path directory) {
        return load(directory, Device.cpu(), ComputeType.FLOAT32);
    }

    public ModelConfig config() {
        return config;
    }

    public GenerationConfig generation() {
        return generation;
    }

    /** The manager that owns the weights; a parent for per-decode managers on the same device. */
    public NDManager manager() {
        return manager;
    }

    /** An empty cache for {@code rows} rows and {@code capacity} token slots. */
    public KvCache newCache(NDManager parent, int rows, int capacity) {
        return KvCache.allocate(parent, config, dataType, rows, capacity);
    }

    /**
     * Runs left-padded prompts through the model, filling an empty cache.
     *
     * @param tokenIds [rows, tokens] int64
     * @param attentionMask [rows, tokens] int64, 1 for tokens and 0 for padding (padding on the left)
     * @return float32 logits of each row's last token, [rows, vocab], owned by {@code out}
     */
    public NDArray prefill(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, positionsOf(attentionMask), cache, false), out);
        }
    }

    /** Like {@link #prefill} but returns the logits of every slot, [rows, tokens, vocab] (for tests and scoring). */
    public NDArray prefillAllLogits(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, positionsOf(attentionMask), cache, true), out);
        }
    }

    /**
     * Like {@link #prefill} but returns the final-normed hidden states of every slot, [rows, tokens, hidden] float32,
     * owned by {@code out} (the input of heads other than the language-model head, e.g. a reward score).
     */
    public NDArray hiddenStates(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(finalHidden(tokenIds, positionsOf(attentionMask), cache).toType(DataType.FLOAT32, false),
                    out);
        }
    }

    /**
     * Appends one token per row and returns the next-token logits, [rows, vocab] float32, owned by {@code out}.
     *
     * @param tokenIds [rows] int64
     */
    public NDArray step(NDArray tokenIds, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            NDArray positions = cache.nextPositions().expandDims(1).duplicate();
            return escape(forward(tokenIds.expandDims(1), positions, cache, false), out);
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    private NDArray forward(NDArray tokenIds, NDArray positions, KvCache cache, boolean allLogits) {
        NDArray x = finalHidden(tokenIds, positions, cache);
        if (!allLogits) {
            x = x.get(new NDIndex(":, -1, :"));
        }
        return x.matMul(lmHeadT).toType(DataType.FLOAT32, false);
    }

    /** The decoder layers and the final norm over every slot, [rows, tokens, hidden] in the compute type. */
    private NDArray finalHidden(NDArray tokenIds, NDArray positions, KvCache cache) {
        int start = cache.append(positions);
        NDArray queryPositions = positions.maximum(0L);
        NDArray mask = attentionMask(queryPositions, cache.slotPositions());
        RotaryEmbedding.Angles angles = rotary.at(queryPositions);
        NDArray x = embedding.get(new NDIndex("{}", tokenIds));
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, angles, mask, cache, start);
        }
        return RmsNorm.apply(x, finalNorm, config.rmsNormEps());
    }

    /** 1-based running count of tokens minus one for tokens, -1 for padding. */
    private static NDArray positionsOf(NDArray attentionMask) {
        NDArray mask = attentionMask.toType(DataType.INT64, false);
        return mask.cumSum(1).mul(mask).sub(1L);
    }

    /**
     * Additive float32 mask [rows, 1, 1, tokens, slots]: a query sees a slot that holds a token at a position no
     * later than its own (and, with a sliding window, not too far back).
     */
    private NDArray attentionMask(NDArray queryPositions, NDArray slotPositions) {
        NDArray query = queryPositions.expandDims(2);
        NDArray slot = slotPositions.expandDims(1);
        NDArray visible = slot.gte(0L).logicalAnd(slot.lte(query));
        if (config.slidingWindow() > 0) {
            visible = visible.logicalAnd(query.sub(slot).lt((long) config.slidingWindow()));
        }
        NDArray additive = visible.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
        return additive.expandDims(1).expandDims(1);
    }

    private static NDArray escape(NDArray result, NDManager out) {
        NDScope.unregister(result);
        result.attach(out);
        return result;
    }
}
