package dev.dera.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Batched DeRa decoding: every (prompt, lambda, sample) row of the given requests decodes in a
 * {@link ContinuousBatch}, each prompt prefilled once per model and its KV cache fanned out to its rows; finished
 * rows leave the batch and waiting prompts take their place.
 *
 * <p>Each step: both models' logits, mixed per row with its own lambda, one draw per row from a counter-based
 * uniform, the chosen tokens and their scores copied to the host in one transfer. Knows nothing of Spark.
 */
public final class DeraDecoder {
    private final ModelPair models;
    private final DecodeStopping stopping;
    private final BatchLimits limits;

    /** A decoder whose {@link #decode} calls decode all their rows in one batch. */
    public DeraDecoder(ModelPair models) {
        this(models, null);
    }

    /** A decoder that keeps to {@code limits}; null: every call's rows in one batch. */
    public DeraDecoder(ModelPair models, BatchLimits limits) {
        this.models = models;
        this.stopping = new DecodeStopping(models.generation().eosTokenIds(), models.tokenizer());
        this.limits = limits;
    }

    /** Starts decoding the requests; iterating the batch yields each prompt as its last row finishes. */
    public ContinuousBatch start(List<DecodeRequest> requests, DecodeListener listener) {
        BatchLimits batchLimits = limits != null ? limits : allInOneBatch(requests);
        return new ContinuousBatch(models, stopping, batchLimits, requests, listener);
    }

    /** Every row in one batch and every prompt in one prefill call, as the decoder has always run a list. */
    private static BatchLimits allInOneBatch(List<DecodeRequest> requests) {
        int rows = Math.max(1, requests.stream().mapToInt(DecodeRequest::rowCount).sum());
        return new BatchLimits(rows, Math.max(1, requests.size()), BatchLimits.PREFILL_CHUNK_TOKENS,
                BatchLimits.Admission.CONTINUOUS);
    }

    /** Decodes all rows of the requests; results come in request order, then lambda order, then sample order. */
    public List<DecodeResult> decode(List<DecodeRequest> requests) {
        return decode(requests, DecodeListener.NONE);
    }

    /** Like {@link #decode(List)}, telling {@code listener} about every step. */
    public List<DecodeResult> decode(List<DecodeRequest> requests, DecodeListener listener) {
        List<FinishedPrompt> prompts = new ArrayList<>(requests.size());
        try (ContinuousBatch batch = start(requests, listener)) {
            batch.forEachRemaining(prompts::add);
        }
        prompts.sort(Comparator.comparingInt(FinishedPrompt::index));
        return prompts.stream().flatMap(prompt -> prompt.results().stream()).toList();
    }
}
