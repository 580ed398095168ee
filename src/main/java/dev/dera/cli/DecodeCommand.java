package dev.dera.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** DeRa decoding of one prompt at several lambdas, one JSON line per (lambda, sample). */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode one prompt with a reference and an aligned model at several realignment strengths;"
                + " prints one JSON object per (lambda, sample).")
final class DecodeCommand implements Callable<Integer> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    @Option(names = "--ref-model", required = true, description = "reference (SFT) model folder")
    Path referenceModel;

    @Option(names = "--aligned-model", required = true, description = "aligned (RLHF/DPO) model folder")
    Path alignedModel;

    @Option(names = "--prompt", required = true, description = "prompt text")
    String prompt;

    @Option(names = "--prompt-id", defaultValue = "prompt", description = "id keying the random draws (default: ${DEFAULT-VALUE})")
    String promptId;

    @Mixin
    DecodingOptions decoding;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        try (ModelPair models = ModelPair.load(referenceModel, alignedModel, modelOptions.device(),
                modelOptions.computeType())) {
            DecodeRequest request = new DecodeRequest(promptId, models.tokenizer().encode(prompt),
                    decoding.lambdas(), decoding.samples, decoding.sampling(), decoding.stop(), decoding.seed);
            boolean failed = false;
            for (DecodeResult result : new DeraDecoder(models).decode(List.of(request))) {
                System.out.println(JSON.toJson(asJson(prompt, request, result)));
                failed |= result.error() != null;
            }
            return failed ? GenerateCommand.TOO_MANY_ERRORS : 0;
        }
    }

    /** The fields of the expected-vector files, plus lambda and sample_index. */
    static Map<String, Object> asJson(String prompt, DecodeRequest request, DecodeResult r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prompt", prompt);
        json.put("prompt_ids", request.promptIds());
        json.put("lambda", r.lambda());
        json.put("sample_index", r.sampleIndex());
        json.put("max_new_tokens", request.stop().maxNewTokens());
        json.put("completion_ids", r.completionIds());
        json.put("completion_text", r.completionText());
        json.put("finish_reason", r.finishReason());
        json.put("error", r.error());
        json.put("token_logprobs", r.tokenLogprobs());
        json.put("ref_token_logprobs", r.refTokenLogprobs());
        json.put("aligned_token_logprobs", r.alignedTokenLogprobs());
        json.put("sum_logprob", r.sumLogprob());
        json.put("ref_sum_logprob", r.refSumLogprob());
        json.put("aligned_sum_logprob", r.alignedSumLogprob());
        json.put("kl_to_ref", r.klToRef());
        json.put("prompt_token_count", r.promptTokenCount());
        return json;
    }
}
