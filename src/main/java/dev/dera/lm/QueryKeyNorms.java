package dev.dera.lm;

/**
 * Norms of queries and keys before the rotation: none, per head over head_dim (Qwen3), or over the whole projected
 * q and k (OLMo 2).
 */
record QueryKeyNorms(Norm query, Norm key, boolean perHead) {
    static final QueryKeyNorms NONE = new QueryKeyNorms(Norm.NONE, Norm.NONE, false);
}
