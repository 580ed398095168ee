package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import dev.dera.lm.KvCache;
import java.util.function.BiFunction;

/** The KV caches of both models of a {@link ModelPair} over the same rows; row operations apply to both. */
public final class PairCache implements AutoCloseable {
    private KvCache reference;
    private KvCache aligned;

    PairCache(KvCache reference, KvCache aligned) {
        this.reference = reference;
        this.aligned = aligned;
    }

    KvCache reference() {
        return reference;
    }

    KvCache aligned() {
        return aligned;
    }

    /** Rows of the batch, released ones included. */
    int rows() {
        return reference.rows();
    }

    /** Keeps the given rows, in this order; rows may repeat (fan a prompt out) or be left out (drop finished rows). */
    void selectRows(NDArray rows) {
        eachModel((cache, model) -> cache.selectRows(rows));
    }

    /** Frees rows for later admissions (see {@link KvCache#release}). */
    void release(int... rows) {
        eachModel((cache, model) -> {
            cache.release(rows);
            return cache;
        });
    }

    /** Copies rows of a prefilled pair cache into released rows of this one (see {@link KvCache#admit}). */
    void admit(int[] rows, PairCache source, int[] sourceRows) {
        eachModel((cache, model) -> {
            cache.admit(rows, model == 0 ? source.reference : source.aligned, sourceRows);
            return cache;
        });
    }

    @Override
    public void close() {
        reference.close();
        aligned.close();
    }

    /**
     * The one place that maps a row operation onto the models' caches: {@code operation} gets each model's cache
     * and model index (0 reference, 1 aligned) and returns the cache that replaces it.
     */
    private void eachModel(BiFunction<KvCache, Integer, KvCache> operation) {
        reference = operation.apply(reference, 0);
        aligned = operation.apply(aligned, 1);
    }
}
