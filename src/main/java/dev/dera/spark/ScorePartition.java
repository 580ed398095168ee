package dev.dera.spark;

import dev.dera.eval.RewardScorer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Executor side of scoring: takes {@link PromptGroups#SCORED} rows followed by completion_text and prompt, and
 * returns the {@link PromptGroups#SCORED} rows with the reward filled in for every row without error, scoring
 * {@value #BATCH} rows at a time.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    static final int BATCH = 32;
    private static final int IS_ERROR = 2;
    private static final int COMPLETION = 6;
    private static final int PROMPT = 7;

    private final RewardScorer scorer;

    ScorePartition(RewardScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && rows.hasNext()) {
                    batch = scoreNext(rows).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return batch.next();
            }
        };
    }

    private List<Row> scoreNext(Iterator<Row> rows) {
        List<Row> batch = new ArrayList<>(BATCH);
        while (batch.size() < BATCH && rows.hasNext()) {
            batch.add(rows.next());
        }
        List<Row> ok = batch.stream().filter(r -> !r.getBoolean(IS_ERROR)).toList();
        double[] rewards = scorer.score(ok.stream().map(r -> r.getString(PROMPT)).toList(),
                ok.stream().map(r -> r.getString(COMPLETION)).toList());
        List<Row> scored = new ArrayList<>(batch.size());
        int next = 0;
        for (Row row : batch) {
            Double reward = row.getBoolean(IS_ERROR) ? null : rewards[next++];
            scored.add(RowFactory.create(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), reward));
        }
        return scored;
    }
}
