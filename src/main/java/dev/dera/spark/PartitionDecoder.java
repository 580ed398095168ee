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
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Executor side of the job: decodes one partition of prompts (columns prompt_id, prompt and, optionally,
 * input_error and messages, whose rows hold rendered chat text in prompt) into generation rows. Tokenizes every
 * prompt, sorts by token length, decodes micro-batches with the executor's shared {@link ModelPair}, and turns
 * every bad prompt into error rows. Holds only serializable settings and accumulators.
 */
final class PartitionDecoder implements MapPartitionsFunction<Row, Row> {
    static final String INPUT_ERROR = "input_error";

    private final DecodeSettings settings;
    private final DecodeCounters counters;

    PartitionDecoder(DecodeSettings settings, DecodeCounters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        ModelPair models = ExecutorModels.get(settings, TaskDevices.forTask());
        PromptTokens tokens = new PromptTokens(models, settings);
        List<DecodeRequest> requests = new ArrayList<>();
        Deque<Row> ready = new ArrayDeque<>();
        while (input.hasNext()) {
            Row row = input.next();
            String id = row.getAs(Schemas.PROMPT_ID);
            String inputError = hasColumn(row, INPUT_ERROR) ? row.getAs(INPUT_ERROR) : null;
            PromptTokens.Outcome outcome = inputError != null
                    ? PromptTokens.Outcome.error(0, inputError)
                    : tokens.tokenize(row.getAs(Schemas.PROMPT), isChat(row));
            if (outcome.error() != null) {
                emit(GenerationRows.errors(id, outcome.tokenCount(), settings, outcome.error()), 0, ready);
            } else {
                requests.add(new DecodeRequest(id, outcome.ids(), settings.lambdas(), settings.samples(),
                        settings.sampling(), settings.stop(), settings.seed()));
            }
        }
        requests.sort(Comparator.comparingInt(r -> r.promptIds().length));
        int[] lengths = requests.stream().mapToInt(r -> r.promptIds().length).toArray();
        List<Integer> ends = MicroBatches.ends(lengths, settings.rowsPerPrompt(), settings.maxNewTokens(),
                settings.batchMaxTokens(), settings.batchMaxPrompts());
        return new BatchIterator(new DeraDecoder(models), requests, ends, ready);
    }

    private static boolean hasColumn(Row row, String name) {
        return Arrays.asList(row.schema().fieldNames()).contains(name);
    }

    /** A row whose prompt is a conversation that the chat template rendered into its prompt text. */
    private static boolean isChat(Row row) {
        return hasColumn(row, Schemas.MESSAGES) && !row.isNullAt(row.fieldIndex(Schemas.MESSAGES));
    }

    private void emit(List<DecodeResult> results, long batchMillis, Deque<Row> out) {
        long perRow = results.isEmpty() ? 0 : Math.round((double) batchMillis / results.size());
        long tokenCount = 0;
        long errorCount = 0;
        for (DecodeResult result : results) {
            out.add(GenerationRows.toRow(result, settings.seed(), perRow));
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
        private final Deque<Row> ready;
        private int nextBatch;

        BatchIterator(DeraDecoder decoder, List<DecodeRequest> requests, List<Integer> ends, Deque<Row> ready) {
            this.decoder = decoder;
            this.requests = requests;
            this.ends = ends;
            this.ready = ready;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && nextBatch < ends.size()) {
                int start = nextBatch == 0 ? 0 : ends.get(nextBatch - 1);
                List<DecodeRequest> batch = requests.subList(start, ends.get(nextBatch++));
                long started = System.nanoTime();
                List<DecodeResult> results = decoder.decode(batch);
                emit(results, (System.nanoTime() - started) / 1_000_000, ready);
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
