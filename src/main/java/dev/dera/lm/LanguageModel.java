package dev.dera.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dera.lm.safetensors.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only causal language model of any supported family loaded from a Hugging Face folder and run with DJL
 * NDArray operations, batched, with a {@link KvCache}; or several models of one config stacked on a leading model
 * axis ({@link #loadStacked}), run by one forward pass whose rows are every model's rows, model-major.
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
    /** How many models run in each forward pass: 1, or the stacked models of {@link #loadStacked}. */
    private final int models;
    private final Family.Parts parts;
    private final RotaryEmbedding rotary;

    private LanguageModel(ModelConfig config, GenerationConfig generation, NDManager manager, WeightSource weights) {
        this.config = config;
        this.generation = generation;
        this.manager = manager;
        this.models = weights.models();
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
        return loadStacked(List.of(directory), config, device, computeType);
    }

    /**
     * Loads folders as one stacked model of {@code config}, which {@link ModelConfig#stackable} gave for their
     * configs: its cache and logits have {@code directories.size()} rows per row, model by model.
     */
    public static LanguageModel loadStacked(List<Path> directories, ModelConfig config, Device device,
            ComputeType computeType) {
        DjlRuntime.ensureOffline();
        GenerationConfig generation = GenerationConfig.load(directories.get(0));
        NDManager manager = NDManager.newBaseManager(device);
        List<Checkpoint> checkpoints = new ArrayList<>();
        try {
            List<WeightSource> sources = new ArrayList<>();
            for (Path directory : directories) {
                ModelConfig own = directories.size() == 1 ? config : ModelConfig.load(directory);
                Checkpoint checkpoint = Checkpoint.open(directory);
                checkpoints.add(checkpoint);
                WeightSource weights = new WeightLoader(checkpoint, own, manager, computeType.dataType());
                sources.add(own.tieWordEmbeddings() && !config.tieWordEmbeddings() ? untied(weights, own) : weights);
            }
            WeightSource weights = sources.size() == 1 ? sources.get(0) : new StackedWeights(sources);
            return new LanguageModel(config, generation, manager, weights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            checkpoints.forEach(Checkpoint::close);
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

    /** A tied model's weights as an untied one's: its lm_head is (a copy of) its token embedding. */
    private static WeightSource untied(WeightSource tied, ModelConfig config) {
        String embedding = config.architecture().family().tokenEmbedding();
        return name -> tied.load(name.equals(LlamaLayout.LM_HEAD) ? embedding : name);
    }

    /** An empty cache for {@code rows} rows of every model and {@code capacity} token slots. */
    public KvCache newCache(NDManager parent, int rows, int capacity) {
        return KvCache.allocate(parent, config, dataType, models * rows, capacity);
    }

    /**
     * Runs left-padded prompts through the model, filling an empty cache.
     *
     * @param tokenIds [rows, tokens] int64
     * @param attentionMask [rows, tokens] int64, 1 for tokens and 0 for padding (padding on the left)
     * @return float32 logits of each row's last token, [models * rows, vocab] (model-major), owned by {@code out}
     */
    public NDArray prefill(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, positionsOf(attentionMask), cache, false), out);
        }
    }

    /**
     * Like {@link #prefill} but returns the logits of every slot, [models * rows, tokens, vocab] (for tests and
     * scoring).
     */
    public NDArray prefillAllLogits(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, positionsOf(attentionMask), cache, true), out);
        }
    }

    /**
     * Runs left-padded prompts like {@link #prefill} and returns the final normed hidden states of every slot,
     * [models * rows, tokens, hidden] float32, owned by {@code out} (for heads over the model, e.g. a reward
     * model's).
     */
    public NDArray hiddenStates(NDArray tokenIds, NDArray attentionMask, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            Forward forward = new Forward(tokenIds, positionsOf(attentionMask), cache);
            NDArray states = forward.hidden(true).toType(DataType.FLOAT32, false);
            return escape(forward.perRow(states, true), out);
        }
    }

    /**
     * Appends tokens at the given positions and returns the logits of each row's last one, [models * rows, vocab]
     * float32 (model-major), owned by {@code out}: a prompt prefilled in chunks, each chunk after the ones before.
     *
     * @param tokenIds [rows, tokens] int64, the same for every model
     * @param positions [rows, tokens] int64, -1 for padding
     */
    public NDArray extend(NDArray tokenIds, NDArray positions, KvCache cache, NDManager out) {
        try (NDScope scope = new NDScope()) {
            return escape(forward(tokenIds, everyModel(positions), cache, false), out);
        }
    }

    /**
     * Appends one token per row and returns the next-token logits, [models * rows, vocab] float32 (model-major),
     * owned by {@code out}.
     *
     * @param tokenIds [rows] int64, the same for every model
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

    /** tokenIds: [rows, tokens]; positions: [models * rows, tokens], one row per cache row. */
    private NDArray forward(NDArray tokenIds, NDArray positions, KvCache cache, boolean allLogits) {
        Forward forward = new Forward(tokenIds, positions, cache);
        NDArray logits = forward.hidden(allLogits).matMul(parts.outputT()).toType(DataType.FLOAT32, false);
        if (config.finalSoftCap() > 0) {
            logits = SoftCap.apply(logits, config.finalSoftCap(), forward.pass);
        }
        return forward.perRow(logits, allLogits);
    }

    /** One forward call: its tokens, the positions of every cache row, and what the layers share. */
    private final class Forward {
        private final NDArray tokenIds;
        private final NDArray queryPositions;
        private final ForwardPass pass;

        Forward(NDArray tokenIds, NDArray positions, KvCache cache) {
            this.tokenIds = tokenIds;
            cache.append(positions);
            queryPositions = positions.maximum(0L);
            pass = new ForwardPass(rotary == null ? null : rotary.at(queryPositions), cache, queryPositions,
                    config.queriesPerKvHead());
        }

        /**
         * The final normed hidden states, [models, rows * tokens, hidden] of every slot, or (not {@code allSlots})
         * [models, rows, hidden] of each row's last.
         */
        NDArray hidden(boolean allSlots) {
            NDArray x = parts.embedding().apply(tokenIds, queryPositions);
            for (DecoderLayer layer : parts.layers()) {
                x = layer.forward(x, pass);
            }
            if (!allSlots && pass.tokens() > 1) {
                Shape shape = x.getShape();
                x = x.reshape(shape.get(0), -1, pass.tokens(), shape.get(2)).get(new NDIndex(":, :, -1, :"));
            }
            return parts.finalNorm().apply(x);
        }

        /** Per-model outputs of {@link #hidden} to one row per cache row: [models * rows, (tokens,) width]. */
        NDArray perRow(NDArray perModel, boolean allSlots) {
            long width = perModel.getShape().get(2);
            return allSlots ? perModel.reshape(pass.rows(), pass.tokens(), width)
                    : perModel.reshape(pass.rows(), width);
        }
    }

    /**
     * 1-based running count of tokens minus one for tokens, -1 for padding: [rows, tokens], repeated for every
     * model's rows.
     */
    private NDArray positionsOf(NDArray attentionMask) {
        NDArray mask = attentionMask.toType(DataType.INT64, false);
        return everyModel(mask.cumSum(1).mul(mask).sub(1L));
    }

    /** Positions of the pair's rows, [rows, tokens], repeated for every model's cache rows. */
    private NDArray everyModel(NDArray positions) {
        return models == 1 ? positions : positions.tile(new long[] {models, 1});
    }

    private static NDArray escape(NDArray result, NDManager out) {
        NDScope.unregister(result);
        result.attach(out);
        return result;
    }
}
