package dev.dera.decode;

import dev.dera.lm.TextTokenizer;
import dev.dera.realign.CounterRng;
import dev.dera.realign.StepScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Host-side state of one (prompt, lambda, sample) row while it decodes. */
final class DecodeRow {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeRow.class);
    static final String STOP = "stop";
    static final String LENGTH = "length";
    static final String ERROR = "error";

    final DecodeRequest request;
    final double lambda;
    final int sampleIndex;
    private final CompletionText.Prompt prompt;
    private int[] ids;
    private float[] logprobs;
    private float[] refLogprobs;
    private float[] alignedLogprobs;
    private int count;
    private double klToRef;
    private String finishReason;
    private String error;
    private CompletionText text;

    private DecodeRow(DecodeRequest request, CompletionText.Prompt prompt, double lambda, int sampleIndex) {
        this.request = request;
        this.prompt = prompt;
        this.lambda = lambda;
        this.sampleIndex = sampleIndex;
        int capacity = Math.min(request.stop().maxNewTokens(), 64);
        ids = new int[capacity];
        logprobs = new float[capacity];
        refLogprobs = new float[capacity];
        alignedLogprobs = new float[capacity];
    }

    /** The rows of a request, in lambda order, then sample order, sharing the prompt's decoded text. */
    static List<DecodeRow> fanOut(DecodeRequest request) {
        CompletionText.Prompt prompt = new CompletionText.Prompt(request.promptIds());
        List<DecodeRow> rows = new ArrayList<>(request.rowCount());
        for (double lambda : request.lambdas()) {
            if (lambda < 0) {
                LOG.warn("prompt {}: lambda {} < 0 moves away from the aligned model; unusual but allowed",
                        request.promptId(), lambda);
            }
            for (int sample = 0; sample < request.samples(); sample++) {
                rows.add(new DecodeRow(request, prompt, lambda, sample));
            }
        }
        return rows;
    }

    /** This row's uniform for the draw of step {@code step} (the determinism contract's key). */
    double uniform(int step) {
        return CounterRng.uniform(request.seed(), request.promptId(), lambda, sampleIndex, step);
    }

    int generated() {
        return count;
    }

    boolean finished() {
        return finishReason != null;
    }

    /** Ends the row before it generates anything, e.g. for a prompt that does not fit the context. */
    void fail(String message) {
        finishReason = ERROR;
        error = message;
    }

    /**
     * Records this step's token for row {@code row} of the step's scores and decides whether the row stops.
     *
     * @param contextLeft how many more tokens the model's context takes after this one
     */
    void record(StepScores scores, int row, DecodeStopping stopping, int contextLeft) {
        if (!scores.isFinite(row)) {
            fail("non-finite logits at generated token " + count + " (lambda " + lambda + ")");
            return;
        }
        append(scores.tokenId(row), scores.logprob(row), scores.refLogprob(row), scores.alignedLogprob(row));
        klToRef += scores.kl(row);
        int token = ids[count - 1];
        if (stopping.isStopToken(request, token)) {
            finishReason = STOP;
        } else if (stopping.hasStopStrings(request)
                && completionText(stopping.tokenizer()).endsAtStopString(Arrays.copyOf(ids, count))) {
            finishReason = STOP;
        } else if (count >= request.stop().maxNewTokens() || contextLeft <= 0) {
            finishReason = LENGTH;
        }
    }

    DecodeResult toResult(TextTokenizer tokenizer) {
        int[] completion = Arrays.copyOf(ids, count);
        return new DecodeResult(request.promptId(), lambda, sampleIndex, request.promptIds().length, completion,
                completionText(tokenizer).text(completion), finishReason, error, Arrays.copyOf(logprobs, count),
                Arrays.copyOf(refLogprobs, count), Arrays.copyOf(alignedLogprobs, count), klToRef);
    }

    private CompletionText completionText(TextTokenizer tokenizer) {
        if (text == null) {
            text = new CompletionText(tokenizer, prompt, request.stop());
        }
        return text;
    }

    private void append(int token, float logprob, float refLogprob, float alignedLogprob) {
        if (count == ids.length) {
            int grown = ids.length * 2;
            ids = Arrays.copyOf(ids, grown);
            logprobs = Arrays.copyOf(logprobs, grown);
            refLogprobs = Arrays.copyOf(refLogprobs, grown);
            alignedLogprobs = Arrays.copyOf(alignedLogprobs, grown);
        }
        ids[count] = token;
        logprobs[count] = logprob;
        refLogprobs[count] = refLogprob;
        alignedLogprobs[count] = alignedLogprob;
        count++;
    }
}
