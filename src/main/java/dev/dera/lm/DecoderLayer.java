package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/**
 * One transformer block: two residual branches, attention then MLP, each with an optional norm before it (most
 * families) and after it (Gemma 2, OLMo 2); {@link Norm#NONE} where a family has none.
 */
final class DecoderLayer {
    private final Norm beforeAttention;
    private final Attention attention;
    private final Norm afterAttention;
    private final Norm beforeMlp;
    private final Mlp mlp;
    private final Norm afterMlp;

    DecoderLayer(Norm beforeAttention, Attention attention, Norm afterAttention, Norm beforeMlp, Mlp mlp,
            Norm afterMlp) {
        this.beforeAttention = beforeAttention;
        this.attention = attention;
        this.afterAttention = afterAttention;
        this.beforeMlp = beforeMlp;
        this.mlp = mlp;
        this.afterMlp = afterMlp;
    }

    /** The pre-norm block of Llama and most families: x + attn(norm1(x)), then + mlp(norm2(.)). */
    static DecoderLayer preNorm(Norm inputNorm, Attention attention, Norm postAttentionNorm, Mlp mlp) {
        return new DecoderLayer(inputNorm, attention, Norm.NONE, postAttentionNorm, mlp, Norm.NONE);
    }

    /** x: [rows, tokens, hidden]; writes this layer's keys/values for the tokens into the pass's cache. */
    NDArray forward(NDArray x, ForwardPass pass) {
        NDArray attended = x.add(afterAttention.apply(attention.apply(beforeAttention.apply(x), pass)));
        return attended.add(afterMlp.apply(mlp.apply(beforeMlp.apply(attended))));
    }
}
