package dev.dera.spark;

import ai.djl.Device;
import dev.dera.decode.BatchLimits;
import dev.dera.decode.ContinuousBatch;
import dev.dera.decode.DecodeListener;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.FinishedPrompt;
import dev.dera.decode.ModelPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Executor side of the job: decodes one partition of prompts into generation rows. Input columns: prompt_id,
 * prompt, input_error (null unless the input reader found the row broken), then the carried columns, whose values
 * every output row of the prompt repeats; where a carried {@code messages} column holds a conversation, prompt is its
 * rendered chat text, encoded without adding special tokens again. Tokenizes every prompt, sorts by token length,
 * decodes them in one {@link ContinuousBatch} with the executor's shared {@link ModelPair}, emitting each prompt's
 * rows as its last row finishes, and turns every bad prompt into error rows.
 * Holds only serializable settings and accumulators.
 */
final class PartitionDecoder implements MapPartitionsFunction<Row, Row> {
    static final String INPUT_ERROR = "input_error";
    /** Position of the first carried column in an input row. */
    static final int FIRST_CARRIED = 3;

    private final TaskSettings settings;
    private final ModelStamp models;
    private final DecodeCounters counters;

    PartitionDecoder(TaskSettings settings, ModelStamp models, DecodeCounters counters) {
        this.settings = settings;
        this.models = models;
        this.counters = counters;
    }

    /** What an output row repeats from its prompt's input row. */
    private record PromptRow(String text, Object[] carried) {}

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        Device device = TaskDevices.forTask();
        ModelPair pair = ExecutorModels.get(settings, device);
        PromptTokens tokens = new PromptTokens(pair, settings);
        Map<String, PromptRow> prompts = new HashMap<>();
        List<DecodeRequest> requests = new ArrayList<>();
        Deque<Row> ready = new ArrayDeque<>();
        while (input.hasNext()) {
            Row row = input.next();
            String id = row.getAs(Schemas.PROMPT_ID);
            PromptRow prompt = new PromptRow(promptText(row), carried(row));
            if (prompts.putIfAbsent(id, prompt) != null) {
                throw new IllegalArgumentException("prompt_id \"" + id + "\" appears more than once; every prompt"
                        + " needs a unique id (it keys the output rows and the random draws)");
            }
            String inputError = row.getAs(INPUT_ERROR);
            PromptTokens.Outcome outcome = inputError != null
                    ? PromptTokens.Outcome.error(0, inputError)
                    : tokens.tokenize(prompt.text(), isChat(row));
            if (outcome.error() != null) {
                emit(GenerationRows.errors(id, outcome.tokenCount(), settings, outcome.error()), prompts, 0, ready);
            } else {
                requests.add(new DecodeRequest(id, outcome.ids(), settings.decode()));
            }
        }
        requests.sort(Comparator.comparingInt(r -> r.promptIds().length));
        ContinuousBatch batch = new DeraDecoder(pair, limits(requests, pair, device))
                .start(requests, DecodeListener.NONE);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> batch.close());
        }
        return new PromptIterator(batch, requests, prompts, ready);
    }

    /** The partition's {@link BatchLimits#forPartition batch limits}; {@code sortedRequests} by prompt length. */
    private BatchLimits limits(List<DecodeRequest> sortedRequests, ModelPair pair, Device device) {
        int longest = sortedRequests.isEmpty() ? 0 : sortedRequests.get(sortedRequests.size() - 1).promptIds().length;
        return BatchLimits.forPartition(settings.batchMaxActiveRows(), settings.batchMaxTokens(),
                settings.batchMaxPrompts(), longest, settings.decode().maxNewTokens(), pair.contextLength(), device);
    }

    /** The text to decode, which the output's prompt column holds. */
    private static String promptText(Row row) {
        return row.getAs(Schemas.PROMPT);
    }

    /** A row whose prompt is a conversation that the chat template rendered into its prompt text. */
    private static boolean isChat(Row row) {
        return Arrays.asList(row.schema().fieldNames()).contains(Schemas.MESSAGES)
                && !row.isNullAt(row.fieldIndex(Schemas.MESSAGES));
    }

    private static Object[] carried(Row row) {
        Object[] values = new Object[row.length() - FIRST_CARRIED];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(FIRST_CARRIED + i);
        }
        return values;
    }

    /**
     * Turns a prompt's results into output rows. {@code decodeMillis}, the decoding since the previous prompt came
     * out, is shared over the rows as their generation_ms, so that a partition's rows add up to its decode time.
     */
    private void emit(List<DecodeResult> results, Map<String, PromptRow> prompts, long decodeMillis, Deque<Row> out) {
        long perRow = results.isEmpty() ? 0 : Math.round((double) decodeMillis / results.size());
        long tokenCount = 0;
        long errorCount = 0;
        for (DecodeResult result : results) {
            PromptRow prompt = prompts.get(result.promptId());
            out.add(GenerationRows.toRow(result, prompt.text(), prompt.carried(), settings.decode().seed(), models, perRow));
            tokenCount += result.completionIds().length;
            errorCount += GenerationRows.ERROR.equals(result.finishReason()) ? 1 : 0;
        }
        counters.add(results.size(), tokenCount, errorCount);
    }

    /** Decodes until the next prompt finishes whenever the rows of the previous one are consumed. */
    private final class PromptIterator implements Iterator<Row> {
        private final ContinuousBatch batch;
        private final List<DecodeRequest> requests;
        private final Map<String, PromptRow> prompts;
        private final Deque<Row> ready;

        PromptIterator(ContinuousBatch batch, List<DecodeRequest> requests, Map<String, PromptRow> prompts,
                Deque<Row> ready) {
            this.batch = batch;
            this.requests = requests;
            this.prompts = prompts;
            this.ready = ready;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty()) {
                long started = System.nanoTime();
                if (!batch.hasNext()) {
                    return false;
                }
                FinishedPrompt prompt = batch.next();
                requests.set(prompt.index(), null); // the prompt's tokens are no longer needed
                emit(prompt.results(), prompts, (System.nanoTime() - started) / 1_000_000, ready);
                prompts.remove(prompt.results().get(0).promptId());
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }
    }
}
