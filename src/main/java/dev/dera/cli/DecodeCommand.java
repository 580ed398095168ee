package dev.dera.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ChatTemplate;
import dev.dera.lm.PairedChatTemplate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * DeRa decoding of one prompt, or one conversation rendered with the chat template, at several lambdas: one JSON
 * line per (lambda, sample). A malformed conversation gives error lines, as the job gives error rows.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode one prompt (or one conversation) with a reference and an aligned model at several"
                + " realignment strengths; prints one JSON object per (lambda, sample).")
final class DecodeCommand implements Callable<Integer> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    @Option(names = "--ref-model", required = true, description = "reference (SFT) model folder")
    Path referenceModel;

    @Option(names = "--aligned-model", required = true, description = "aligned (RLHF/DPO) model folder")
    Path alignedModel;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptSource source;

    /** Exactly one of a prompt text and a conversation. */
    static final class PromptSource {
        @Option(names = "--prompt", required = true, description = "prompt text")
        String prompt;

        @Option(names = "--messages", required = true, description = "a conversation as JSON, e.g."
                + " '[{\"role\": \"user\", \"content\": \"Hi\"}]', rendered with the chat template")
        String messages;
    }

    @Option(names = "--prompt-id", defaultValue = "prompt", description = "id keying the random draws (default: ${DEFAULT-VALUE})")
    String promptId;

    @Mixin
    DecodingOptions decoding;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        DecodeSettings settings = decoding.settings();
        List<ChatTemplate.Message> conversation = source.messages == null ? null
                : ChatMessagesJson.parse(source.messages);
        try (ModelPair models = ModelPair.load(referenceModel, alignedModel, modelOptions.device(),
                modelOptions.computeType())) {
            Prompt prompt = conversation == null
                    ? new Prompt(source.prompt, models.tokenizer().encode(source.prompt), null)
                    : render(conversation, models);
            List<DecodeResult> results = prompt.error() != null
                    ? DecodeResult.errors(promptId, settings.lambdas(), settings.samples(), 0, prompt.error())
                    : new DeraDecoder(models).decode(List.of(new DecodeRequest(promptId, prompt.ids(), settings)));
            boolean failed = false;
            for (DecodeResult result : results) {
                System.out.println(JSON.toJson(asJson(prompt.text(), prompt.ids(), settings.maxNewTokens(), result)));
                failed |= result.error() != null;
            }
            return failed ? GenerateCommand.TOO_MANY_ERRORS : 0;
        }
    }

    /** The text and ids to decode, or why a conversation cannot be decoded. */
    private record Prompt(String text, int[] ids, String error) {}

    private Prompt render(List<ChatTemplate.Message> conversation, ModelPair models) {
        ChatTemplate template = PairedChatTemplate.load(referenceModel, alignedModel,
                Optional.ofNullable(decoding.chatTemplate));
        try {
            String text = template.render(conversation);
            return new Prompt(text, models.tokenizer().encodeRendered(text), null);
        } catch (IllegalArgumentException malformed) {
            return new Prompt(null, new int[0], malformed.getMessage());
        }
    }

    /** The fields of the expected-vector files, plus lambda and sample_index. */
    static Map<String, Object> asJson(String prompt, int[] promptIds, int maxNewTokens, DecodeResult r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prompt", prompt);
        json.put("prompt_ids", promptIds);
        json.put("lambda", r.lambda());
        json.put("sample_index", r.sampleIndex());
        json.put("max_new_tokens", maxNewTokens);
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
