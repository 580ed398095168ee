package dev.dera.decode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dera.realign.SamplingParams;
import dev.dera.realign.StepScores;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * A continuous batch: up to {@code maxActiveRows} rows decode together and waiting prompts join, prefilled and
 * fanned out to their lambdas and samples, as soon as rows finish. Iterating it decodes until the next prompt has
 * finished all of its rows, so results stream out and memory does not grow with the number of prompts.
 *
 * <p>Rows live in fixed rows of one KV cache: a finished row's cache row is released and the next admitted row
 * takes it over, without copying the others. At the tail (nothing left to admit) the batch is compacted by one copy
 * whenever at most half of its rows are still decoding, so the copies cost at most twice one copy of the cache.
 * Each row draws from its own counter-based stream keyed by its own step, so its tokens do not depend on which rows
 * share its batch or when it was admitted. Closes its native memory when exhausted; close it when stopping earlier.
 */
public final class ContinuousBatch implements Iterator<FinishedPrompt>, AutoCloseable {
    private final ModelPair models;
    private final DecodeStopping stopping;
    private final BatchLimits limits;
    private final DecodeListener listener;
    private final NDManager manager;
    private final int capacity;
    private final Deque<PromptRows> waiting = new ArrayDeque<>();
    private final Deque<FinishedPrompt> finished = new ArrayDeque<>();
    private final Map<DecodeRow, PromptRows> promptOf = new IdentityHashMap<>();
    private PairCache cache;
    private DecodeRow[] slots = new DecodeRow[0];
    private long[] nextTokens = new long[0];
    private int active;
    private int rowsNotAdmitted;
    private PairLogits logits;
    private PrefillGroup group;
    private int step;
    private boolean closed;

    ContinuousBatch(ModelPair models, DecodeStopping stopping, BatchLimits limits, List<DecodeRequest> requests,
            DecodeListener listener) {
        this.models = models;
        this.stopping = stopping;
        this.limits = limits;
        this.listener = listener;
        int contextLimit = models.contextLength();
        int longestPrompt = 0;
        int mostNewTokens = 0;
        for (int i = 0; i < requests.size(); i++) {
            PromptRows prompt = new PromptRows(i, requests.get(i));
            int promptLength = prompt.request.promptIds().length;
            if (promptLength >= contextLimit) {
                prompt.fail("prompt has " + promptLength + " tokens; the model's context of " + contextLimit
                        + " leaves no room to generate");
                finished.add(prompt.results(models));
            } else {
                waiting.add(prompt);
                rowsNotAdmitted += prompt.request.rowCount();
                longestPrompt = Math.max(longestPrompt, promptLength);
                mostNewTokens = Math.max(mostNewTokens,
                        Math.min(prompt.request.stop().maxNewTokens(), contextLimit - promptLength));
            }
        }
        capacity = longestPrompt + mostNewTokens;
        manager = models.manager().newSubManager();
    }

    @Override
    public boolean hasNext() {
        while (finished.isEmpty() && !closed && (active > 0 || group != null || !waiting.isEmpty())) {
            advance();
        }
        if (finished.isEmpty()) {
            close();
        }
        return !finished.isEmpty();
    }

    @Override
    public FinishedPrompt next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return finished.poll();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (group != null) {
            group.close();
        }
        if (cache != null) {
            cache.close();
        }
        manager.close();
    }

    /** One step: admit what fits, draw every active row's token, release finished rows, run both models. */
    private void advance() {
        try (NDManager scope = manager.newSubManager()) {
            if (logits != null) {
                logits.attach(scope);
            }
            admit(scope);
            if (active == 0) {
                logits = null;
                return;
            }
            sampleAndRecord(scope);
            compactAtTail(scope);
            logits = active == 0 ? null : models.step(scope.create(nextTokens), cache, manager);
        }
    }

    private void admit(NDManager scope) {
        if (limits.admission() == BatchLimits.Admission.WHEN_EMPTY && active > 0) {
            return;
        }
        int budget = active > 0 ? limits.prefillChunkTokens() : Integer.MAX_VALUE;
        while (true) {
            if (group == null && !startGroup()) {
                return;
            }
            if (!group.prefilled()) {
                if (budget <= 0) {
                    return;
                }
                budget -= group.prefill(models, budget);
                if (!group.prefilled()) {
                    return;
                }
            }
            int[] free = IntStream.range(0, slots.length).filter(r -> slots[r] == null).toArray();
            if (free.length == 0) {
                return;
            }
            if (logits == null) {
                logits = new PairLogits(scope.zeros(new Shape(2, slots.length, group.vocabularySize())));
            }
            List<DecodeRow> joined = group.admitInto(free, cache, logits);
            for (int i = 0; i < joined.size(); i++) {
                slots[free[i]] = joined.get(i);
            }
            active += joined.size();
            rowsNotAdmitted -= joined.size();
            if (group.waiting() > 0) {
                return;
            }
            group.close();
            group = null;
        }
    }

    /**
     * Takes the next waiting prompts whose rows fit the free rows into a new prefill group; false if none. Continuous
     * admission takes prompts for up to a whole batch of rows, however few are free (their rows wait in the group for
     * rows to free up), so one prefill call serves many admissions.
     */
    private boolean startGroup() {
        if (waiting.isEmpty()) {
            return false;
        }
        if (active == 0) {
            allocateCache(Math.min(limits.maxActiveRows(), rowsNotAdmitted));
        }
        int free = slots.length - active;
        boolean continuous = limits.admission() == BatchLimits.Admission.CONTINUOUS;
        int room = continuous ? slots.length : free;
        List<List<DecodeRow>> taken = new ArrayList<>();
        int rows = 0;
        while (!waiting.isEmpty() && taken.size() < limits.maxPrefillPrompts() && free > 0) {
            int next = waiting.peek().request.rowCount();
            if (rows + next > room && !(taken.isEmpty() && (continuous || active == 0))) {
                break;
            }
            PromptRows prompt = waiting.poll();
            taken.add(prompt.fanOut(promptOf));
            rows += next;
        }
        if (taken.isEmpty()) {
            return false;
        }
        group = new PrefillGroup(models, manager, taken);
        return true;
    }

    /** With no row active: a cache of {@code rows} rows, all released, unless the current one is large enough. */
    private void allocateCache(int rows) {
        if (cache != null && cache.rows() >= rows) {
            return;
        }
        if (cache != null) {
            cache.close();
        }
        cache = models.newCache(manager, rows, capacity);
        cache.release(IntStream.range(0, rows).toArray());
        slots = new DecodeRow[rows];
        nextTokens = new long[rows];
    }

    private void sampleAndRecord(NDManager scope) {
        int[] activeRows = IntStream.range(0, slots.length).filter(r -> slots[r] != null).toArray();
        PairLogits stepLogits = activeRows.length == slots.length ? logits
                : logits.selectRows(scope.create(PrefillGroup.toLongs(activeRows)), scope);
        float[] lambdas = new float[activeRows.length];
        double[] uniforms = new double[activeRows.length];
        List<SamplingParams> params = new ArrayList<>(activeRows.length);
        for (int i = 0; i < activeRows.length; i++) {
            DecodeRow row = slots[activeRows[i]];
            lambdas[i] = (float) row.lambda;
            uniforms[i] = row.uniform(row.generated());
            params.add(row.request.sampling());
        }
        StepScores scores = DeraStep.sampleAndScore(stepLogits, lambdas, params, uniforms);
        List<Integer> released = new ArrayList<>();
        for (int i = 0; i < activeRows.length; i++) {
            int slot = activeRows[i];
            DecodeRow row = slots[slot];
            int contextLeft = models.contextLength() - row.request.promptIds().length - row.generated() - 1;
            row.record(scores, i, stopping, contextLeft);
            if (row.finished()) {
                slots[slot] = null;
                released.add(slot);
                PromptRows prompt = promptOf.remove(row);
                if (prompt.rowFinished()) {
                    finished.add(prompt.results(models));
                }
            } else {
                nextTokens[slot] = scores.tokenId(i);
            }
        }
        listener.onStep(step++, activeRows.length);
        cache.release(released.stream().mapToInt(Integer::intValue).toArray());
        active -= released.size();
    }

    /** When no row can join before the batch empties, keeps only the active rows once half of them have finished. */
    private void compactAtTail(NDManager scope) {
        boolean joinsLater = limits.admission() == BatchLimits.Admission.CONTINUOUS
                && (group != null || !waiting.isEmpty());
        if (active == 0 || joinsLater || active > slots.length / 2) {
            return;
        }
        int[] kept = IntStream.range(0, slots.length).filter(r -> slots[r] != null).toArray();
        cache.selectRows(scope.create(PrefillGroup.toLongs(kept)));
        slots = Arrays.stream(kept).mapToObj(r -> slots[r]).toArray(DecodeRow[]::new);
        nextTokens = Arrays.stream(kept).mapToLong(r -> nextTokens[r]).toArray();
    }

    /** A request and, once it is taken into a prefill group, its rows. */
    private static final class PromptRows {
        final int index;
        final DecodeRequest request;
        private List<DecodeRow> rows;
        private int unfinished;

        PromptRows(int index, DecodeRequest request) {
            this.index = index;
            this.request = request;
        }

        /** Makes the prompt's (lambda, sample) rows, registering each as this prompt's. */
        List<DecodeRow> fanOut(Map<DecodeRow, PromptRows> promptOf) {
            rows = DecodeRow.fanOut(request);
            unfinished = rows.size();
            rows.forEach(row -> promptOf.put(row, this));
            return rows;
        }

        void fail(String message) {
            rows = DecodeRow.fanOut(request);
            rows.forEach(row -> row.fail(message));
        }

        /** Counts a finished row; true when it was the prompt's last. */
        boolean rowFinished() {
            return --unfinished == 0;
        }

        FinishedPrompt results(ModelPair models) {
            return new FinishedPrompt(index, rows.stream().map(row -> row.toResult(models.tokenizer())).toList());
        }
    }
}
