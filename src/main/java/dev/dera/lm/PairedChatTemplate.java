package dev.dera.lm;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The chat template of a DeRa model pair: DeRa mixes the two models' next-token logits for one prompt, so their
 * templates (each folder's own, or one shared file) must render a conversation to the same token ids. Checked
 * with a probe conversation before any decoding.
 */
public final class PairedChatTemplate {
    private static final List<ChatTemplate.Message> PROBE = List.of(new ChatTemplate.Message("user", "Hello"));

    private PairedChatTemplate() {}

    /**
     * The reference's template (or {@code templateFile} with the reference's special tokens); fails when the
     * aligned model's renders the probe conversation to other ids, or a template cannot render it.
     */
    public static ChatTemplate load(Path referenceDir, Path alignedDir, Optional<Path> templateFile) {
        ChatTemplate reference = ChatTemplate.load(referenceDir, templateFile);
        int[] referenceIds = probeIds(reference, referenceDir);
        int[] alignedIds = probeIds(ChatTemplate.load(alignedDir, templateFile), alignedDir);
        if (!Arrays.equals(referenceIds, alignedIds)) {
            throw new ModelConfigException("the reference (" + referenceDir + ") and aligned (" + alignedDir
                    + ") chat templates render a conversation to different token ids (" + Arrays.toString(referenceIds)
                    + " vs " + Arrays.toString(alignedIds) + "); DeRa needs both models to see the same prompt: give"
                    + " one template with --chat-template (prompt.chat_template)");
        }
        return reference;
    }

    private static int[] probeIds(ChatTemplate template, Path modelDir) {
        String text;
        try {
            text = template.render(PROBE);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException("the chat template of " + modelDir + " cannot render a one-message"
                    + " conversation: " + e.getMessage());
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir, GenerationConfig.load(modelDir))) {
            return tokenizer.encodeRendered(text);
        }
    }
}
