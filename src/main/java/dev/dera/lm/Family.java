package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Set;

/**
 * How one model family differs from the others: the config.json keys it reads, the tensors (names and shapes) it
 * needs, and the blocks it builds from them. Names and fusions are resolved here, at load, so that the forward
 * pass in {@link LanguageModel} stays the same for every family.
 */
interface Family {
    /** The validated config of a folder whose "architectures" names this family. */
    ModelConfig config(Architecture architecture, ConfigFields fields);

    /** Every tensor the config needs, with its shape. */
    void declare(ModelConfig config, TensorShapes shapes);

    /** The model's blocks over weights named as {@link #declare} says. */
    Parts build(ModelConfig config, WeightSource weights);

    /** The name a checkpoint stores a declared tensor under, given the names it holds (the declared one by default). */
    default String storedName(String name, Set<String> stored) {
        return name;
    }

    /** The token embedding's tensor name: a tied model's lm_head. */
    default String tokenEmbedding() {
        return LlamaLayout.EMBEDDING;
    }

    /** Whether the attention rotates queries and keys (false: positions are learned, GPT-2). */
    default boolean rotary() {
        return true;
    }

    /** The blocks of a model, bottom to top; {@code outputT} is the output projection, transposed [hidden, vocab]. */
    record Parts(Embedding embedding, List<DecoderLayer> layers, Norm finalNorm, NDArray outputT) {}
}
