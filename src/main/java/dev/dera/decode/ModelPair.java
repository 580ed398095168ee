package dev.dera.decode;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.ComputeType;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelFolderCheck;
import dev.dera.lm.TextTokenizer;
import java.nio.file.Path;

/**
 * The reference and aligned models of a DeRa run and their one shared tokenizer. Loading checks that both models
 * share the tokenizer and vocabulary.
 */
public final class ModelPair implements AutoCloseable {
    private final LanguageModel reference;
    private final LanguageModel aligned;
    private final TextTokenizer tokenizer;

    private ModelPair(LanguageModel reference, LanguageModel aligned, TextTokenizer tokenizer) {
        this.reference = reference;
        this.aligned = aligned;
        this.tokenizer = tokenizer;
    }

    /** Loads both folders onto one device; fails fast, before any weight is read, when {@link ModelFolderCheck} does. */
    public static ModelPair load(Path referenceDir, Path alignedDir, Device device, ComputeType computeType) {
        ModelFolderCheck.checkPair(referenceDir, alignedDir);
        LanguageModel reference = LanguageModel.load(referenceDir, device, computeType);
        LanguageModel aligned = null;
        try {
            aligned = LanguageModel.load(alignedDir, device, computeType);
            return new ModelPair(reference, aligned,
                    TextTokenizer.load(referenceDir, reference.config(), reference.generation()));
        } catch (RuntimeException e) {
            reference.close();
            if (aligned != null) {
                aligned.close(); // the tokenizer failed after both models loaded
            }
            throw e;
        }
    }

    /** Tokens that both models' contexts hold (max_position_embeddings), the limit of prompt plus completion. */
    public int contextLength() {
        return Math.min(reference.config().maxPositions(), aligned.config().maxPositions());
    }

    /** An empty cache of both models for {@code rows} rows and {@code capacity} token slots. */
    public PairCache newCache(NDManager parent, int rows, int capacity) {
        return new PairCache(reference.newCache(parent, rows, capacity), aligned.newCache(parent, rows, capacity));
    }

    /** Both models' {@link LanguageModel#prefill} of the same left-padded prompts. */
    public PairLogits prefill(NDArray tokenIds, NDArray attentionMask, PairCache cache, NDManager out) {
        return new PairLogits(reference.prefill(tokenIds, attentionMask, cache.reference(), out),
                aligned.prefill(tokenIds, attentionMask, cache.aligned(), out));
    }

    /** Both models' {@link LanguageModel#extend} with the same tokens: the next chunk of a prefill. */
    public PairLogits extend(NDArray tokenIds, NDArray positions, PairCache cache, NDManager out) {
        return new PairLogits(reference.extend(tokenIds, positions, cache.reference(), out),
                aligned.extend(tokenIds, positions, cache.aligned(), out));
    }

    /** Both models' {@link LanguageModel#step} on the same tokens. */
    public PairLogits step(NDArray tokenIds, PairCache cache, NDManager out) {
        return new PairLogits(reference.step(tokenIds, cache.reference(), out),
                aligned.step(tokenIds, cache.aligned(), out));
    }

    public LanguageModel reference() {
        return reference;
    }

    public LanguageModel aligned() {
        return aligned;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        tokenizer.close();
        aligned.close();
        reference.close();
    }
}
