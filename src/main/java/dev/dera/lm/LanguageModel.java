package dev.dera.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dera.lm.safetensors.Checkpoint;
import java.nio.file.Path;

/**
 * A decoder-only causal language model of any supported family loaded from a Hugging Face folder and run with DJL
 * NDArray operations, batched, with a {@link KvCache}.
 *
 * <p>Rows of a batch are left-padded; every row carries its own positions. Each forward call keeps its temporaries
 * in an {@link NDScope} and returns float32 logits owned by the caller's manager, so memory stays flat over long
 * decodes.
 */
public final class LanguageModel implements AutoCloseable {
    private final ModelConfig config;
    private final GenerationConfig generation;
    private final NDManager manager;
    private final DataType dataType;
    private final Family.Parts parts;
    private final RotaryEmbedding rotary;

    private LanguageModel(ModelConfig config, GenerationConfig generation, NDManager manager, WeightSource weights) {
        this.config = config;
        this.generation = generation;
        this.manager = manager;
        Family family = config.architecture().family();
        parts = family.build(config, weights);
        dataType = parts.embedding().table().getDataType();
        rotary = family.rotary() ? new RotaryEmbedding(manager, config, dataType) : null;
    }

    /** Loads a Hugging Face model folder onto a device. */
    public static LanguageModel load(Path directory, Device device, ComputeType computeType) {
        return load(directory, ModelConfig.load(directory), device, computeType);
    }

    /** Loads the weights of a folder whose config.json the caller has read (e.g. a reward model's backbone). */
    public static LanguageModel load(Path directory, ModelConfig config, Device device, ComputeType computeType) {
        DjlRuntime.ensureOffline();
        GenerationConfig generation = GenerationConfig.load(directory);
        NDManager manager = NDManager.newBaseManager(device);
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            WeightSource weights = new WeightLoader(checkpoint, config, manager, computeType.dataType());
            return new LanguageModel(config, generation, manager, weights);
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
    public static LanguageModel fromWeights(ModelConfig config, GenerationConfig generation, NDManager parent,
            WeightSource weights) {
        return new LanguageModel(config, generation, parent.newSubManager(), weights);
    }

    /** Loads a model folder on the CPU in float32. */
    public static LanguageModel load(Path directory) {
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
     * Runs left-padded prompts like {@link #prefill} and returns the final normed hidden states of every slot,
     * [rows, tokens, hidden] float32, owned by {@code out} (for heads over the model, e.g. a reward model's).
     */
    public NDArray hiddenStates(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            NDArray states = hidden(tokenIds, positionsOf(attentionMask), cache, true).toType(DataType.FLOAT32, false);
            return escape(states, out);
        }
    }

    /**
     * Appends tokens at the given positions and returns the logits of each row's last one, [rows, vocab] float32,
     * owned by {@code out}: a prompt prefilled in chunks, each chunk after the ones before.
     *
     * @param tokenIds [rows, tokens] int64
     * @param positions [rows, tokens] int64, -1 for padding
     */
    public NDArray extend(NDArray tokenIds, NDArray positions, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, positions, cache, false), out);
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

    /** The final normed hidden states, of every slot or (not {@code allSlots}) of each row's last. */
    private NDArray hidden(NDArray tokenIds, NDArray positions, KvCache cache, boolean allSlots) {
        cache.append(positions);
        NDArray queryPositions = positions.maximum(0L);
        ForwardPass pass = new ForwardPass(rotary == null ? null : rotary.at(queryPositions), cache, queryPositions);
        NDArray x = parts.embedding().apply(tokenIds, queryPositions);
        for (DecoderLayer layer : parts.layers()) {
            x = layer.forward(x, pass);
        }
        if (!allSlots) {
            x = x.get(new NDIndex(":, -1, :"));
        }
        return parts.finalNorm().apply(x);
    }

    private NDArray forward(NDArray tokenIds, NDArray positions, KvCache cache, boolean allLogits) {
        NDArray logits = hidden(tokenIds, positions, cache, allLogits).matMul(parts.outputT())
                .toType(DataType.FLOAT32, false);
        return config.finalSoftCap() > 0 ? SoftCap.apply(logits, config.finalSoftCap()) : logits;
    }

    /** 1-based running count of tokens minus one for tokens, -1 for padding. */
    private static NDArray positionsOf(NDArray attentionMask) {
        NDArray mask = attentionMask.toType(DataType.INT64, false);
        return mask.cumSum(1).mul(mask).sub(1L);
    }

    private static NDArray escape(NDArray result, NDManager out) {
        NDScope.unregister(result);
        result.attach(out);
        return result;
    }
}
