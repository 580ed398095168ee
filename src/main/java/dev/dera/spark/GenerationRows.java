package dev.dera.spark;

import dev.dera.decode.DecodeResult;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Decoder results as rows of {@link Schemas#GENERATIONS}, and the error rows of prompts that cannot decode. */
final class GenerationRows {
    static final String ERROR = "error";

    private GenerationRows() {}

    static Row toRow(DecodeResult r, long seed, long generationMs) {
        return RowFactory.create(r.promptId(), r.sampleIndex(), seed, r.promptTokenCount(), r.completionIds(),
                r.completionText(), r.finishReason(), r.error(), r.tokenLogprobs(), r.refTokenLogprobs(),
                r.alignedTokenLogprobs(), r.sumLogprob(), r.refSumLogprob(), r.alignedSumLogprob(), r.klToRef(),
                generationMs, r.lambda());
    }

    /** One error result per (lambda, sample) of a prompt, so that every key of the prompt still appears once. */
    static List<DecodeResult> errors(String promptId, int promptTokenCount, DecodeSettings settings, String message) {
        return DecodeResult.errors(promptId, settings.lambdas(), settings.samples(), promptTokenCount, message);
    }
}
