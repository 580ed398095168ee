package dev.dera.decode;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * When a row stops, besides the model's own eos ids and its context limit.
 *
 * @param maxNewTokens at most this many generated tokens (finish_reason "length")
 * @param stopTokenIds extra ids that end a row like eos (the id is kept in completion_ids)
 * @param stopStrings texts that end a row when they appear in the decoded completion, also across token
 *     boundaries; the completion text is cut before the stop string
 */
public record StopConditions(int maxNewTokens, Set<Integer> stopTokenIds, List<String> stopStrings)
        implements Serializable {

    public StopConditions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("decode.max_new_tokens must be at least 1, got " + maxNewTokens);
        }
        if (stopStrings.stream().anyMatch(stop -> stop == null || stop.isEmpty())) {
            throw new IllegalArgumentException("stop.strings must not hold an empty string or null");
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    /** Stop only at eos, the context limit or after {@code maxNewTokens}. */
    public static StopConditions maxNewTokens(int maxNewTokens) {
        return new StopConditions(maxNewTokens, Set.of(), List.of());
    }

    /** Length of the longest stop string (0 without stop strings). */
    int longestStopString() {
        return stopStrings.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Index of the earliest stop string in {@code text} at or after {@code from}, or -1.
     */
    int firstStopString(String text, int from) {
        int earliest = -1;
        for (String stop : stopStrings) {
            int at = text.indexOf(stop, from);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }
}
