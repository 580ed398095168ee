package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dera.testing.DeraVector;
import dev.dera.testing.ZooModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {
    private static final Path QWEN3 = ZooModels.reference("qwen3");

    private static DeraVector chatCase() {
        return ZooModels.vectors("qwen3").stream()
                .filter(v -> v.messages != null).findFirst().orElseThrow();
    }

    private static List<ChatTemplate.Message> messages(DeraVector vector) {
        return Arrays.stream(vector.messages).map(m -> new ChatTemplate.Message(m.role, m.content)).toList();
    }

    @Test
    void rendersTheRealQwen3TemplateAsHuggingFaceDoes() {
        DeraVector chat = chatCase();
        String text = ChatTemplate.load(QWEN3, Optional.empty()).render(messages(chat));
        assertEquals(chat.chat_template_text, text);
    }

    @Test
    void renderedQwen3TextEncodesToTheVectorsPromptIdsWithoutAddedSpecialTokens() {
        DeraVector chat = chatCase();
        String text = ChatTemplate.load(QWEN3, Optional.empty()).render(messages(chat));
        try (TextTokenizer tokenizer = TextTokenizer.load(QWEN3, GenerationConfig.load(QWEN3))) {
            assertArrayEquals(chat.prompt_ids, tokenizer.encodeRendered(text));
        }
    }

    @Test
    void qwen3TemplateHandlesAssistantTurnsWithThinkingAndStringMethods() {
        List<ChatTemplate.Message> conversation = List.of(
                new ChatTemplate.Message("user", "Hi"),
                new ChatTemplate.Message("assistant", "<think>\nhmm\n</think>\n\nHello!"),
                new ChatTemplate.Message("user", "Again"));
        String text = ChatTemplate.load(QWEN3, Optional.empty()).render(conversation);
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nAgain<|im_end|>\n<|im_start|>assistant\n", text);
    }

    @Test
    void specialTokensComeFromTheModelFolder() {
        Path mistral = ZooModels.reference("llama");
        ChatTemplate template = ChatTemplate.load(mistral, Optional.of(writeTemplate(
                "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}{{ eos_token }}{% endfor %}\n")));
        assertEquals("<s>[user] Hi</s>", template.render(List.of(new ChatTemplate.Message("user", "Hi"))));
    }

    @Test
    void theTemplateComesFromANamedListOrChatTemplateJinjaAndItsAbsenceIsOneLine(@TempDir Path folder)
            throws IOException {
        List<ChatTemplate.Message> hi = List.of(new ChatTemplate.Message("user", "Hi"));
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\", \"chat_template\": ["
                + "{\"name\": \"tool_use\", \"template\": \"tools\"},"
                + " {\"name\": \"default\", \"template\": \"{{ messages[0].content }}{{ eos_token }}\"}]}");
        assertEquals("Hi</s>", ChatTemplate.load(folder, Optional.empty()).render(hi));

        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"<e>\"}}");
        ModelConfigException none = assertThrows(ModelConfigException.class,
                () -> ChatTemplate.load(folder, Optional.empty()));
        assertEquals(folder + " has no chat template (tokenizer_config.json's chat_template or chat_template.jinja);"
                + " give one with --chat-template FILE (prompt.chat_template)", none.getMessage());

        Files.writeString(folder.resolve("chat_template.jinja"), "[{{ messages[0].content }}]{{ eos_token }}\n");
        assertEquals("[Hi]<e>", ChatTemplate.load(folder, Optional.empty()).render(hi));
    }

    @Test
    void raiseExceptionBecomesAnErrorWithTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.of("{% if messages[0].role != 'user' %}"
                + "{{ raise_exception('Conversations must start with a user turn') }}{% endif %}ok", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> template.render(List.of(new ChatTemplate.Message("assistant", "x"))));
        assertEquals("chat template raised an exception: Conversations must start with a user turn", e.getMessage());
        assertEquals("ok", template.render(List.of(new ChatTemplate.Message("user", "x"))));
    }

    @Test
    void malformedConversationsAreRejectedWithOneLine() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{{ m.content }}{% endfor %}", Map.of());
        assertEquals("messages is empty; a conversation needs at least one message",
                assertThrows(IllegalArgumentException.class, () -> template.render(List.of())).getMessage());
        assertEquals("messages[1] has no role", assertThrows(IllegalArgumentException.class, () -> template.render(
                List.of(new ChatTemplate.Message("user", "a"), new ChatTemplate.Message(null, "b")))).getMessage());
        assertEquals("messages[0] (user) has no content", assertThrows(IllegalArgumentException.class,
                () -> template.render(List.of(new ChatTemplate.Message("user", null)))).getMessage());
        assertEquals("messages[0] is null", assertThrows(IllegalArgumentException.class,
                () -> template.render(Arrays.asList((ChatTemplate.Message) null))).getMessage());
    }

    @Test
    void pythonStringMethodsAndTojsonBehaveAsInPython() {
        ChatTemplate template = ChatTemplate.of("{% set c = messages[0].content %}"
                + "{{ c.startswith('<a>') }}|{{ c.endswith(('x', '</a>')) }}|{{ c.strip('<>/a') }}|"
                + "{{ c.split('>')[-1] }}|{{ '  a  b '.split() | length }}|{{ c.upper() }}|{{ c.replace('a', 'b') }}|"
                + "{{ messages[0] | tojson }}|{{ messages | tojson(indent=2) }}", Map.of());
        String text = template.render(List.of(new ChatTemplate.Message("user", "<a>é\"</a>")));
        assertEquals("true|true|é\"||2|<A>É\"</A>|<b>é\"</b>|"
                + "{\"role\": \"user\", \"content\": \"<a>é\\\"</a>\"}|"
                + "[\n  {\n    \"role\": \"user\",\n    \"content\": \"<a>é\\\"</a>\"\n  }\n]", text);
    }

    @Test
    void loopControlsAndReversedSlices() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{% if m.role == 'skip' %}{% continue %}"
                + "{% endif %}{% if m.role == 'stop' %}{% break %}{% endif %}{{ m.content }}{% endfor %}|"
                + "{% for m in messages[::-1] %}{{ m.content }}{% endfor %}\n", Map.of());
        String text = template.render(List.of(new ChatTemplate.Message("user", "a"),
                new ChatTemplate.Message("skip", "b"), new ChatTemplate.Message("user", "c"),
                new ChatTemplate.Message("stop", "d"), new ChatTemplate.Message("user", "e")));
        assertEquals("ac|edcba", text);
    }

    @Test
    void namespaceKeywordValuesAreWholeExpressions() {
        ChatTemplate template = ChatTemplate.of("{% set ns = namespace(text='a, b)', n=messages|length - 1,"
                + " m=[2, 3]|length * 3) %}{% set ns.n = ns.n + 10 %}{{ ns.text }}|{{ ns.n }}|{{ ns.m }}", Map.of());
        assertEquals("a, b)|11|6", template.render(List.of(new ChatTemplate.Message("user", "a"),
                new ChatTemplate.Message("user", "b"))));
    }

    @Test
    void aTemplateThatFailsGivesOneLine() {
        ChatTemplate template = ChatTemplate.of("{{ messages[0].content.nosuchmethod() }}", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> template.render(List.of(new ChatTemplate.Message("user", "x"))));
        assertEquals(true, e.getMessage().startsWith("chat template failed: "), e.getMessage());
        assertEquals(false, e.getMessage().contains("\n"), e.getMessage());
    }

    private static Path writeTemplate(String text) {
        try {
            Path file = java.nio.file.Files.createTempFile("chat", ".jinja");
            java.nio.file.Files.writeString(file, text);
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
