package dev.dera.decode;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.ComputeType;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderCheck;
import dev.dera.lm.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference and aligned models of a DeRa run and their one shared tokenizer. Loading checks that both models
 * share the tokenizer and vocabulary.
 *
 * <p>When both folders have one config (the usual case: the aligned model is a fine-tune of the reference; see
 * {@link ModelConfig#stackable}), their weights are stacked on a model axis and one forward pass runs both
 * ({@link LanguageModel#loadStacked}); otherwise each model runs its own pass. Results are the same to float32
 * rounding either way.
 */
public final class ModelPair implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPair.class);

    /** Both models stacked, or null when they run apart. */
    private final LanguageModel stacked;
    private final LanguageModel reference;
    private final LanguageModel aligned;
    private final TextTokenizer tokenizer;

    private ModelPair(LanguageModel stacked, LanguageModel reference, LanguageModel aligned, TextTokenizer tokenizer) {
        this.stacked = stacked;
        this.reference = reference;
        this.aligned = aligned;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads both folders onto one device, stacked when their configs are equal; fails fast, before any weight is
     * read, when {@link ModelFolderCheck} does.
     */
    public static ModelPair load(Path referenceDir, Path alignedDir, Device device, ComputeType computeType) {
        return load(referenceDir, alignedDir, device, computeType, true);
    }

    /** Like {@link #load} but always two forward passes (the fallback for different shapes), for comparisons. */
    public static ModelPair loadUnstacked(Path referenceDir, Path alignedDir, Device device, ComputeType computeType) {
        return load(referenceDir, alignedDir, device, computeType, false);
    }

    private static ModelPair load(Path referenceDir, Path alignedDir, Device device, ComputeType computeType,
            boolean stack) {
        ModelFolderCheck.checkPair(referenceDir, alignedDir);
        ModelConfig common = ModelConfig.stackable(ModelConfig.load(referenceDir), ModelConfig.load(alignedDir));
        if (stack && common != null) {
            LOG.info("models have one shape: stacked, one forward pass for both ({}, {})", referenceDir, alignedDir);
            LanguageModel both = LanguageModel.loadStacked(List.of(referenceDir, alignedDir), common, device,
                    computeType);
            return withTokenizer(referenceDir, both, null, null);
        }
        LOG.info("{}: two forward passes ({}, {})", stack ? "models differ in shape or config" : "stacking is off",
                referenceDir, alignedDir);
        LanguageModel reference = LanguageModel.load(referenceDir, device, computeType);
        LanguageModel aligned;
        try {
            aligned = LanguageModel.load(alignedDir, device, computeType);
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
        return withTokenizer(referenceDir, null, reference, aligned);
    }

    /** The pair with the reference folder's tokenizer; closes the models when it fails. */
    private static ModelPair withTokenizer(Path referenceDir, LanguageModel stacked, LanguageModel reference,
            LanguageModel aligned) {
        LanguageModel first = stacked != null ? stacked : reference;
        try {
            return new ModelPair(stacked, reference, aligned,
                    TextTokenizer.load(referenceDir, first.config(), first.generation()));
        } catch (RuntimeException e) {
            first.close();
            if (aligned != null) {
                aligned.close();
            }
            throw e;
        }
    }

    /** Whether one forward pass runs both models. */
    public boolean stacked() {
        return stacked != null;
    }

    /** The reference model's config (the aligned model's too when {@link #stacked}). */
    public ModelConfig config() {
        return first().config();
    }

    /** The reference model's generation_config.json (BOS, EOS). */
    public GenerationConfig generation() {
        return first().generation();
    }

    /** The manager that owns the (reference's) weights; a parent for per-decode managers on the same device. */
    public NDManager manager() {
        return first().manager();
    }

    /** Tokens that both models' contexts hold (max_position_embeddings), the limit of prompt plus completion. */
    public int contextLength() {
        return stacked != null ? stacked.config().maxPositions()
                : Math.min(reference.config().maxPositions(), aligned.config().maxPositions());
    }

    /** An empty cache of both models for {@code rows} rows and {@code capacity} token slots. */
    public PairCache newCache(NDManager parent, int rows, int capacity) {
        if (stacked != null) {
            return PairCache.stacked(stacked.newCache(parent, rows, capacity), rows);
        }
        return PairCache.separate(reference.newCache(parent, rows, capacity), aligned.newCache(parent, rows, capacity));
    }

    /** Both models' {@link LanguageModel#prefill} of the same left-padded prompts. */
    public PairLogits prefill(NDArray tokenIds, NDArray attentionMask, PairCache cache, NDManager out) {
        return bothModels((model, modelCache, owner) -> model.prefill(tokenIds, attentionMask, modelCache, owner),
                cache, out);
    }

    /** Both models' {@link LanguageModel#extend} with the same tokens: the next chunk of a prefill. */
    public PairLogits extend(NDArray tokenIds, NDArray positions, PairCache cache, NDManager out) {
        return bothModels((model, modelCache, owner) -> model.extend(tokenIds, positions, modelCache, owner), cache,
                out);
    }

    /** Both models' {@link LanguageModel#step} on the same tokens. */
    public PairLogits step(NDArray tokenIds, PairCache cache, NDManager out) {
        return bothModels((model, modelCache, owner) -> model.step(tokenIds, modelCache, owner), cache, out);
    }

    /** One forward call of a model on its cache, its logits owned by {@code out}. */
    private interface ForwardCall {
        NDArray on(LanguageModel model, KvCache cache, NDManager out);
    }

    /** The call once over the stacked weights, or once per model. */
    private PairLogits bothModels(ForwardCall call, PairCache cache, NDManager out) {
        if (stacked != null) {
            try (NDManager scope = out.newSubManager()) {
                return halves(call.on(stacked, cache.stacked(), scope), out);
            }
        }
        try (NDManager scope = out.newSubManager()) {
            PairLogits logits = PairLogits.stack(call.on(reference, cache.reference(), scope),
                    call.on(aligned, cache.aligned(), scope));
            logits.attach(out);
            return logits;
        }
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        tokenizer.close();
        if (stacked != null) {
            stacked.close();
        } else {
            aligned.close();
            reference.close();
        }
    }

    private LanguageModel first() {
        return stacked != null ? stacked : reference;
    }

    /** Stacked logits [2 * rows, vocab], the reference's rows then the aligned model's, as [2, rows, vocab]. */
    private static PairLogits halves(NDArray both, NDManager out) {
        NDArray pair = both.reshape(2, -1, both.getShape().get(1));
        pair.attach(out);
        return new PairLogits(pair);
    }
}
