package dev.dera.train;

import dev.dera.lm.Architecture;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfig;
import java.util.Set;

/** The shape of the project's embedded models: a Llama small enough to train on two CPU cores in minutes. */
public final class TinyLlama {

    /** Hidden width. */
    public static final int HIDDEN = 64;
    /** SwiGLU width, 8/3 of the hidden width as in Llama. */
    public static final int INTERMEDIATE = 172;
    /** Decoder layers. */
    public static final int LAYERS = 2;
    /** Query heads. */
    public static final int HEADS = 4;
    /** Key/value heads (grouped-query attention). */
    public static final int KV_HEADS = 2;
    /** Context length in tokens. */
    public static final int CONTEXT = 128;

    private TinyLlama() {
    }

    /** The config for a vocabulary of {@code vocabSize} tokens; the embedding doubles as the output layer. */
    public static ModelConfig config(int vocabSize) {
        return new ModelConfig(Architecture.LLAMA, HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, HIDDEN / HEADS,
                vocabSize, CONTEXT, 1e-5, 10000.0, 1.0, true, false, 0);
    }

    /** BOS and EOS as the corpus tokenizer numbers them. */
    public static GenerationConfig generation() {
        return new GenerationConfig(Set.of(TokenizerBuilder.EOS_ID), TokenizerBuilder.BOS_ID);
    }
}
