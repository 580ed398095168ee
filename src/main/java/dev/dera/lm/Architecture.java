package dev.dera.lm;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The decoder-only architectures this project implements; all share the Llama layer layout. */
public enum Architecture {
    LLAMA("LlamaForCausalLM"),
    MISTRAL("MistralForCausalLM"),
    QWEN2("Qwen2ForCausalLM");

    private final String hfClassName;

    Architecture(String hfClassName) {
        this.hfClassName = hfClassName;
    }

    /** The class name Hugging Face writes in config.json's "architectures". */
    public String hfClassName() {
        return hfClassName;
    }

    static Architecture fromHfClassName(String name) {
        for (Architecture a : values()) {
            if (a.hfClassName.equals(name)) {
                return a;
            }
        }
        throw new ModelConfigException("unsupported architecture " + name + "; supported: " + supportedNames());
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(Architecture::hfClassName).collect(Collectors.joining(", "));
    }
}
