package dev.dera.testing;

/** One expected greedy DeRa decode (field names as in the JSONL file). */
public final class DeraVector {
    public String prompt;
    public int[] prompt_ids;
    public double lambda;
    public int max_new_tokens;
    public int[] completion_ids;
    public String completion_text;
    public String finish_reason;
    public double[] token_logprobs;
    public double[] ref_token_logprobs;
    public double[] aligned_token_logprobs;
    public double kl_to_ref;
    /** The chat case only: the conversation and the text its chat template renders (which is also prompt). */
    public Message[] messages;
    public String chat_template_text;

    /** One message of a chat case. */
    public static final class Message {
        public String role;
        public String content;
    }

    @Override
    public String toString() {
        return "\"" + prompt + "\" lambda=" + lambda + " max_new_tokens=" + max_new_tokens;
    }
}
