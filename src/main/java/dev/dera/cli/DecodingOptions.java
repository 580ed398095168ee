package dev.dera.cli;

import com.google.gson.Gson;
import dev.dera.decode.DecodeOption;
import dev.dera.decode.DecodeSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The options of every command that decodes: one per {@link DecodeOption} (flag, help and default from that table),
 * given as the job config's text and parsed by {@link DecodeSettings#parse}, plus the chat template.
 */
final class DecodingOptions {
    private static final Gson JSON = new Gson();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--chat-template", description = "Jinja chat template file for conversations (--messages, a"
            + " messages column), instead of the model folder's chat_template")
    Path chatTemplate;

    /** Picocli calls this while building the mixin: adds the table's options to it. */
    @Spec
    void declareDecodeOptions(CommandSpec mixin) {
        for (DecodeOption option : DecodeOption.values()) {
            boolean repeatable = option.kind() == DecodeOption.Kind.TEXT_LIST;
            mixin.addOption(OptionSpec.builder(option.flag())
                    .type(repeatable ? List.class : String.class)
                    .auxiliaryTypes(String.class)
                    .paramLabel(repeatable ? "TEXT" : option.kind() == DecodeOption.Kind.NUMBER_LIST ? "LIST" : "N")
                    .description(option.doc() + (repeatable ? " (repeatable)"
                            : " (default: " + option.defaultText() + ")") + " [" + option.key() + "]")
                    .build());
        }
    }

    /**
     * The decode options given on the command line, as job-config key and text (a repeated flag as a JSON array);
     * the ones not given are absent, so they do not override a conf file.
     */
    Map<String, String> given() {
        ParseResult parsed = command.commandLine().getParseResult();
        Map<String, String> given = new LinkedHashMap<>();
        for (DecodeOption option : DecodeOption.values()) {
            if (parsed.hasMatchedOption(option.flag())) {
                List<String> texts = parsed.matchedOption(option.flag()).stringValues();
                given.put(option.key(), option.kind() == DecodeOption.Kind.TEXT_LIST ? JSON.toJson(texts)
                        : texts.get(0));
            }
        }
        return given;
    }

    /** The given options over the defaults, parsed and checked once. */
    DecodeSettings settings() {
        return DecodeSettings.parse(given());
    }
}
