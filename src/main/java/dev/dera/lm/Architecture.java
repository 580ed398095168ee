package dev.dera.lm;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The decoder-only architectures this project implements, each with the {@link Family} that builds it. */
public enum Architecture {
    LLAMA("LlamaForCausalLM", LlamaFamily.INSTANCE),
    MISTRAL("MistralForCausalLM", LlamaFamily.INSTANCE),
    QWEN2("Qwen2ForCausalLM", LlamaFamily.INSTANCE),
    QWEN3("Qwen3ForCausalLM", Qwen3Family.INSTANCE),
    GEMMA2("Gemma2ForCausalLM", Gemma2Family.INSTANCE),
    PHI3("Phi3ForCausalLM", Phi3Family.INSTANCE),
    OLMO2("Olmo2ForCausalLM", Olmo2Family.INSTANCE),
    GPT2("GPT2LMHeadModel", Gpt2Family.INSTANCE);

    private final String hfClassName;
    private final Family family;

    Architecture(String hfClassName, Family family) {
        this.hfClassName = hfClassName;
        this.family = family;
    }

    /** The class name Hugging Face writes in config.json's "architectures". */
    public String hfClassName() {
        return hfClassName;
    }

    Family family() {
        return family;
    }

    static Architecture fromHfClassName(String name) {
        for (Architecture a : values()) {
            if (a.hfClassName.equals(name)) {
                return a;
            }
        }
        throw new ModelConfigException("unsupported architecture " + name + "; supported: " + supportedNames());
    }

    /** The single entry of config.json's "architectures". */
    static Architecture of(ConfigFields config) {
        if (!config.has("architectures") || !config.raw("architectures").isJsonArray()) {
            throw config.error("lacks \"architectures\"; supported: " + supportedNames());
        }
        var names = config.raw("architectures").getAsJsonArray();
        if (names.size() != 1) {
            throw config.error("expected exactly one entry in \"architectures\", got " + names);
        }
        return fromHfClassName(names.get(0).getAsString());
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(Architecture::hfClassName).collect(Collectors.joining(", "));
    }
}
