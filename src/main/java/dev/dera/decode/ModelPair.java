package dev.dera.decode;

import ai.djl.Device;
import dev.dera.lm.ComputeType;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfigException;
import dev.dera.lm.TextTokenizer;
import dev.dera.lm.TokenizerIdentity;
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

    /** Loads both folders onto one device; fails fast when their tokenizers or vocabularies differ. */
    public static ModelPair load(Path referenceDir, Path alignedDir, Device device, ComputeType computeType) {
        requireSameTokenizer(referenceDir, alignedDir);
        LanguageModel reference = LanguageModel.load(referenceDir, device, computeType);
        try {
            LanguageModel aligned = LanguageModel.load(alignedDir, device, computeType);
            if (aligned.config().vocabSize() != reference.config().vocabSize()) {
                aligned.close();
                throw new ModelConfigException("the models' vocab_size differ: reference " + referenceDir + " has "
                        + reference.config().vocabSize() + ", aligned " + alignedDir + " has "
                        + aligned.config().vocabSize() + "; DeRa needs one shared vocabulary");
            }
            return new ModelPair(reference, aligned,
                    TextTokenizer.load(referenceDir, reference.config(), reference.generation()));
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
    }

    /** Checks, from the files alone, that two model folders share one tokenizer. */
    public static void requireSameTokenizer(Path referenceDir, Path alignedDir) {
        String referenceTokens = TokenizerIdentity.of(referenceDir);
        String alignedTokens = TokenizerIdentity.of(alignedDir);
        if (!referenceTokens.equals(alignedTokens)) {
            throw new ModelConfigException("the reference (" + referenceDir + ") and aligned (" + alignedDir
                    + ") models have different tokenizers; DeRa mixes logits token by token and needs one vocabulary");
        }
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
