package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.realign.SamplingParams;
import dev.dera.realign.StepScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched DeRa decoding: every (prompt, lambda, sample) row of the given requests decodes in one batch, each
 * prompt prefilled once per model and its KV cache fanned out to its rows; finished rows leave the batch.
 *
 * <p>Each step: both models' logits, mixed per row with its own lambda, one draw per row from a counter-based
 * uniform, the chosen tokens and their scores copied to the host in one transfer. Knows nothing of Spark.
 */
public final class DeraDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(DeraDecoder.class);

    private final ModelPair models;
    private final DecodeStopping stopping;

    public DeraDecoder(ModelPair models) {
        this.models = models;
        this.stopping = new DecodeStopping(models.generation().eosTokenIds(), models.tokenizer());
    }

    /** Decodes all rows of the requests; results come in request order, then lambda order, then sample order. */
    public List<DecodeResult> decode(List<DecodeRequest> requests) {
        return decode(requests, DecodeListener.NONE);
    }

    /** Like {@link #decode(List)}, telling {@code listener} about every step. */
    public List<DecodeResult> decode(List<DecodeRequest> requests, DecodeListener listener) {
        List<DecodeRow> rows = fanOut(requests);
        List<DecodeRow> runnable = new ArrayList<>();
        int contextLimit = models.contextLength();
        for (DecodeRow row : rows) {
            int promptLength = row.request.promptIds().length;
            if (promptLength >= contextLimit) {
                row.fail("prompt has " + promptLength + " tokens; the model's context of " + contextLimit
                        + " leaves no room to generate");
            } else {
                runnable.add(row);
            }
        }
        if (!runnable.isEmpty()) {
            run(runnable, listener);
        }
        List<DecodeResult> results = new ArrayList<>(rows.size());
        for (DecodeRow row : rows) {
            results.add(row.toResult(models.tokenizer()));
        }
        return results;
    }

    private void run(List<DecodeRow> rows, DecodeListener listener) {
        List<int[]> prompts = new ArrayList<>();
        long[] promptOfRow = distinctPrompts(rows, prompts);
        PromptBatch batch = new PromptBatch(prompts);
        int capacity = batch.length() + rows.stream().mapToInt(this::mostNewTokens).max().orElseThrow();
        try (NDManager decode = models.manager().newSubManager();
                PairCache cache = models.newCache(decode, prompts.size(), capacity)) {
            PairLogits logits;
            try (NDManager prefill = decode.newSubManager()) {
                NDArray fanOut = prefill.create(promptOfRow);
                logits = models.prefill(batch.tokenIds(prefill), batch.attentionMask(prefill), cache, prefill)
                        .selectRows(fanOut, decode);
                cache.selectRows(fanOut);
            }
            List<DecodeRow> active = rows;
            for (int step = 0; !active.isEmpty(); step++) {
                try (NDManager stepScope = decode.newSubManager()) {
                    logits.attach(stepScope);
                    StepScores scores = sampleAndScore(stepScope, active, logits, step);
                    List<DecodeRow> next = new ArrayList<>(active.size());
                    long[] kept = new long[active.size()];
                    long[] nextTokens = new long[active.size()];
                    for (int r = 0; r < active.size(); r++) {
                        DecodeRow row = active.get(r);
                        int contextLeft = models.contextLength() - row.request.promptIds().length
                                - row.generated() - 1;
                        row.record(scores, r, stopping, contextLeft);
                        if (!row.finished()) {
                            kept[next.size()] = r;
                            nextTokens[next.size()] = scores.tokenId(r);
                            next.add(row);
                        }
                    }
                    listener.onStep(step, active.size());
                    if (next.isEmpty()) {
                        break;
                    }
                    if (next.size() < active.size()) {
                        cache.selectRows(stepScope.create(Arrays.copyOf(kept, next.size())));
                    }
                    logits = models.step(stepScope.create(Arrays.copyOf(nextTokens, next.size())), cache, decode);
                    active = next;
                }
            }
        }
    }

    /** What a row can generate: max_new_tokens, or less where its prompt leaves less of the context. */
    private int mostNewTokens(DecodeRow row) {
        int contextLeft = models.contextLength() - row.request.promptIds().length;
        return Math.min(row.request.stop().maxNewTokens(), contextLeft);
    }

    private static StepScores sampleAndScore(NDManager scope, List<DecodeRow> active, PairLogits logits, int step) {
        float[] lambdas = new float[active.size()];
        double[] uniforms = new double[active.size()];
        List<SamplingParams> params = new ArrayList<>(active.size());
        for (int r = 0; r < active.size(); r++) {
            DecodeRow row = active.get(r);
            lambdas[r] = (float) row.lambda;
            uniforms[r] = row.uniform(step);
            params.add(row.request.sampling());
        }
        return DeraStep.sampleAndScore(scope, logits.reference(), logits.aligned(), lambdas, params, uniforms);
    }

    private static List<DecodeRow> fanOut(List<DecodeRequest> requests) {
        List<DecodeRow> rows = new ArrayList<>();
        for (DecodeRequest request : requests) {
            for (double lambda : request.lambdas()) {
                if (lambda < 0) {
                    LOG.warn("prompt {}: lambda {} < 0 moves away from the aligned model; unusual but allowed",
                            request.promptId(), lambda);
                }
                for (int sample = 0; sample < request.samples(); sample++) {
                    rows.add(new DecodeRow(request, lambda, sample));
                }
            }
        }
        return rows;
    }

    /** Collects each request's prompt once and returns, per row, the index of its prompt. */
    private static long[] distinctPrompts(List<DecodeRow> rows, List<int[]> prompts) {
        Map<DecodeRequest, Integer> index = new IdentityHashMap<>();
        long[] promptOfRow = new long[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            DecodeRequest request = rows.get(r).request;
            promptOfRow[r] = index.computeIfAbsent(request, q -> {
                prompts.add(q.promptIds());
                return prompts.size() - 1;
            });
        }
        return promptOfRow;
    }
}
