package dev.dera.lm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's chat template (the Jinja {@code chat_template} of tokenizer_config.json, or a template file), rendered
 * with jinjava the way Hugging Face's {@code apply_chat_template} renders it: {@code trim_blocks} and
 * {@code lstrip_blocks}, {@code add_generation_prompt = true}, the special tokens ({@code bos_token},
 * {@code eos_token}, ...) as variables, {@code raise_exception}, Python's string methods and {@code tojson}.
 * The rendered text already holds the template's special tokens, so it is encoded without adding them again.
 * Serializable (source and tokens only), so Spark can ship it to executors.
 */
public final class ChatTemplate implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "pad_token");
    private static final int MAX_OUTPUT_CHARS = 1 << 24;
    /**
     * jinjava's switches towards Jinja's own behaviour ({@code {{-}} trimming, operator precedence, ...), except
     * {@code whitespaceRequiredWithinTokens}, under which jinjava no longer parses {@code {%-} tags.
     */
    private static final LegacyOverrides JINJA_BEHAVIOUR = LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withUseSnakeCasePropertyNaming(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withKeepNullableLoopValues(true)
            .build();

    /** One turn of a conversation. */
    public record Message(String role, String content) implements Serializable {}

    private final String source;
    private final Map<String, String> specialTokens;
    private transient volatile Jinjava engine;

    private ChatTemplate(String source, Map<String, String> specialTokens) {
        this.source = JinjaSource.forJinjava(source);
        this.specialTokens = Map.copyOf(specialTokens);
    }

    /** A template from its source text, with the given special-token variables. */
    public static ChatTemplate of(String source, Map<String, String> specialTokens) {
        return new ChatTemplate(source, specialTokens);
    }

    /**
     * The template of a model folder: {@code templateFile} when given, else tokenizer_config.json's
     * {@code chat_template} (or chat_template.jinja); the special tokens always come from the folder.
     */
    public static ChatTemplate load(Path modelDir, Optional<Path> templateFile) {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        JsonObject config = JsonFiles.readOptionalObject(configFile).orElseGet(JsonObject::new);
        String source = templateFile.map(ChatTemplate::readFile).orElseGet(() -> folderTemplate(modelDir, config));
        Map<String, String> tokens = new HashMap<>();
        JsonObject map = JsonFiles.readOptionalObject(modelDir.resolve("special_tokens_map.json"))
                .orElseGet(JsonObject::new);
        for (String name : SPECIAL_TOKENS) {
            tokenText(config.get(name)).or(() -> tokenText(map.get(name))).ifPresent(text -> tokens.put(name, text));
        }
        return new ChatTemplate(source, tokens);
    }

    /**
     * The conversation as the model's prompt text, ending with the assistant's turn opened.
     *
     * @throws IllegalArgumentException with a one-line message for a malformed conversation (empty, a null message,
     *     a missing role or content) or a template that fails or calls raise_exception
     */
    public String render(List<Message> messages) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", asTemplateValues(messages));
        context.put("add_generation_prompt", true);
        RenderResult result = engine().renderForResult(source, context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException(describe(error));
            }
        }
        return result.getOutput();
    }

    private static List<Map<String, Object>> asTemplateValues(List<Message> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages is empty; a conversation needs at least one message");
        }
        List<Map<String, Object>> values = new java.util.ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message == null) {
                throw new IllegalArgumentException("messages[" + i + "] is null");
            }
            if (message.role() == null) {
                throw new IllegalArgumentException("messages[" + i + "] has no role");
            }
            if (message.content() == null) {
                throw new IllegalArgumentException("messages[" + i + "] (" + message.role() + ") has no content");
            }
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("role", message.role());
            value.put("content", message.content());
            values.add(value);
        }
        return values;
    }

    private static String describe(TemplateError error) {
        for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateFunctions.Raised raised) {
                return "chat template raised an exception: " + raised.getMessage();
            }
        }
        return "chat template failed: " + oneLine(error.getMessage());
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private Jinjava engine() {
        Jinjava local = engine;
        if (local == null) {
            CompositeELResolver resolver = new CompositeELResolver();
            resolver.add(new PythonStringMethods());
            resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
            local = new Jinjava(JinjavaConfig.newBuilder()
                    .withTrimBlocks(true)
                    .withLstripBlocks(true)
                    .withLegacyOverrides(JINJA_BEHAVIOUR)
                    .withElResolver(resolver)
                    .withMaxOutputSize(MAX_OUTPUT_CHARS)
                    .build());
            local.registerFilter(new PythonJson());
            local.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                    "raiseException", String.class));
            engine = local;
        }
        return local;
    }

    private static String folderTemplate(Path modelDir, JsonObject config) {
        JsonElement template = config.get("chat_template");
        if (template != null && template.isJsonPrimitive()) {
            return template.getAsString();
        }
        if (template != null && template.isJsonArray()) {
            for (JsonElement named : template.getAsJsonArray()) {
                JsonObject entry = named.getAsJsonObject();
                if (entry.has("name") && entry.get("name").getAsString().equals("default")) {
                    return entry.get("template").getAsString();
                }
            }
        }
        Path file = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(file)) {
            return readFile(file);
        }
        throw new ModelConfigException(modelDir + " has no chat template (tokenizer_config.json's chat_template or"
                + " chat_template.jinja); give one with --chat-template FILE (prompt.chat_template)");
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chat template " + file + ": " + e.getMessage(), e);
        }
    }

    /** A special token as tokenizer_config.json or special_tokens_map.json write it: a string or {content: ...}. */
    private static Optional<String> tokenText(JsonElement token) {
        if (token == null || token.isJsonNull()) {
            return Optional.empty();
        }
        if (token.isJsonObject() && token.getAsJsonObject().has("content")) {
            return Optional.of(token.getAsJsonObject().get("content").getAsString());
        }
        return token.isJsonPrimitive() ? Optional.of(token.getAsString()) : Optional.empty();
    }
}
