package dev.dera.spark;

import dev.dera.decode.DecodeResult;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Decoder results as rows of {@link Schemas#withCarried}: the generations columns, then the prompt's carried input
 * values; and the error rows of prompts that cannot decode.
 */
final class GenerationRows {
    static final String ERROR = "error";

    private GenerationRows() {}

    /**
     * @param prompt the text that was decoded
     * @param carried the prompt row's carried input values, in the order of the carried columns
     */
    static Row toRow(DecodeResult r, String prompt, Object[] carried, long seed, ModelStamp models,
            long generationMs) {
        Object[] generated = {r.promptId(), prompt, r.sampleIndex(), seed, r.promptTokenCount(), r.completionIds(),
            r.completionText(), r.finishReason(), r.error(), r.tokenLogprobs(), r.refTokenLogprobs(),
            r.alignedTokenLogprobs(), r.sumLogprob(), r.refSumLogprob(), r.alignedSumLogprob(), r.klToRef(),
            generationMs, models.refName(), models.refSha256(), models.alignedName(), models.alignedSha256(),
            r.lambda()};
        Object[] values = new Object[generated.length + carried.length];
        System.arraycopy(generated, 0, values, 0, generated.length);
        System.arraycopy(carried, 0, values, generated.length, carried.length);
        return RowFactory.create(values);
    }

    /** One error result per (lambda, sample) of a prompt, so that every key of the prompt still appears once. */
    static List<DecodeResult> errors(String promptId, int promptTokenCount, TaskSettings settings, String message) {
        return DecodeResult.errors(promptId, settings.decode().lambdas(), settings.decode().samples(), promptTokenCount, message);
    }
}
