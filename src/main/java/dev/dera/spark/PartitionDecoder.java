package dev.dera.spark;

import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
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
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Executor side of the job: decodes one partition of prompts into generation rows. Input columns: prompt_id,
 * prompt, input_error (null unless the input reader found the row broken), then the carried columns, whose values
 * every output row of the prompt repeats; where a carried {@code messages} column holds a conversation, prompt is its
 * rendered chat text, encoded without adding special tokens again. Tokenizes every prompt, sorts by token length,
 * decodes micro-batches with the executor's shared {@link ModelPair}, and turns every bad prompt into error rows.
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
        ModelPair pair = ExecutorModels.get(settings, TaskDevices.forTask());
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
        int[] lengths = requests.stream().mapToInt(r -> r.promptIds().length).toArray();
        List<Integer> ends = MicroBatches.ends(lengths, settings.decode().rowsPerPrompt(), settings.decode().maxNewTokens(),
                settings.batchMaxTokens(), settings.batchMaxPrompts());
        return new BatchIterator(new DeraDecoder(pair), requests, ends, prompts, ready);
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

    private void emit(List<DecodeResult> results, Map<String, PromptRow> prompts, long batchMillis, Deque<Row> out) {
        long perRow = results.isEmpty() ? 0 : Math.round((double) batchMillis / results.size());
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

    /** Decodes the next micro-batch only when the rows of the previous one are consumed. */
    private final class BatchIterator implements Iterator<Row> {
        private final DeraDecoder decoder;
        private final List<DecodeRequest> requests;
        private final List<Integer> ends;
        private final Map<String, PromptRow> prompts;
        private final Deque<Row> ready;
        private int nextBatch;

        BatchIterator(DeraDecoder decoder, List<DecodeRequest> requests, List<Integer> ends,
                Map<String, PromptRow> prompts, Deque<Row> ready) {
            this.decoder = decoder;
            this.requests = requests;
            this.ends = ends;
            this.prompts = prompts;
            this.ready = ready;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && nextBatch < ends.size()) {
                int start = nextBatch == 0 ? 0 : ends.get(nextBatch - 1);
                List<DecodeRequest> batch = requests.subList(start, ends.get(nextBatch++));
                long started = System.nanoTime();
                List<DecodeResult> results = decoder.decode(batch);
                emit(results, prompts, (System.nanoTime() - started) / 1_000_000, ready);
            }
            return !ready.isEmpty();
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
