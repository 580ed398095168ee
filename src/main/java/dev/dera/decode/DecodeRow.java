package dev.dera.decode;

import dev.dera.lm.TextTokenizer;
import dev.dera.realign.CounterRng;
import dev.dera.realign.StepScores;
import java.util.Arrays;

/** Host-side state of one (prompt, lambda, sample) row while it decodes. */
final class DecodeRow {
    static final String STOP = "stop";
    static final String LENGTH = "length";
    static final String ERROR = "error";

    final DecodeRequest request;
    final double lambda;
    final int sampleIndex;
    private int[] ids;
    private float[] logprobs;
    private float[] refLogprobs;
    private float[] alignedLogprobs;
    private int count;
    private double klToRef;
    private String finishReason;
    private String error;
    private int stopStringAt = -1;
    private int scannedTextLength;
    private String promptText;

    DecodeRow(DecodeRequest request, double lambda, int sampleIndex) {
        this.request = request;
        this.lambda = lambda;
        this.sampleIndex = sampleIndex;
        int capacity = Math.min(request.stop().maxNewTokens(), 64);
        ids = new int[capacity];
        logprobs = new float[capacity];
        refLogprobs = new float[capacity];
        alignedLogprobs = new float[capacity];
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
        } else if (stopping.hasStopStrings(request) && matchStopString(stopping.tokenizer())) {
            finishReason = STOP;
        } else if (count >= request.stop().maxNewTokens() || contextLeft <= 0) {
            finishReason = LENGTH;
        }
    }

    DecodeResult toResult(TextTokenizer tokenizer) {
        int[] completion = Arrays.copyOf(ids, count);
        String text = completionText(tokenizer, completion);
        if (stopStringAt >= 0) {
            text = text.substring(0, stopStringAt);
        }
        return new DecodeResult(request.promptId(), lambda, sampleIndex, request.promptIds().length, completion, text,
                finishReason, error, Arrays.copyOf(logprobs, count), Arrays.copyOf(refLogprobs, count),
                Arrays.copyOf(alignedLogprobs, count), klToRef);
    }

    /** Looks for a stop string in the text decoded so far, only where the newest token can have completed one. */
    private boolean matchStopString(TextTokenizer tokenizer) {
        String text = completionText(tokenizer, Arrays.copyOf(ids, count));
        int from = Math.max(0, scannedTextLength - request.stop().longestStopString() + 1);
        scannedTextLength = text.length();
        stopStringAt = request.stop().firstStopString(text, from);
        return stopStringAt >= 0;
    }

    /** The completion's text; the prompt's text is decoded once per row, not at every stop-string check. */
    private String completionText(TextTokenizer tokenizer, int[] completion) {
        if (promptText == null) {
            promptText = tokenizer.decode(request.promptIds());
        }
        return tokenizer.decodeCompletion(request.promptIds(), promptText, completion);
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
