package dev.dera.decode;

import dev.dera.lm.TextTokenizer;
import java.util.Set;

/** The stopping rules shared by all rows of a decode: the model's eos ids plus each request's own conditions. */
final class DecodeStopping {
    private final Set<Integer> eosTokenIds;
    private final TextTokenizer tokenizer;

    DecodeStopping(Set<Integer> eosTokenIds, TextTokenizer tokenizer) {
        this.eosTokenIds = eosTokenIds;
        this.tokenizer = tokenizer;
    }

    boolean isStopToken(DecodeRequest request, int token) {
        return eosTokenIds.contains(token) || request.stop().stopTokenIds().contains(token);
    }

    boolean hasStopStrings(DecodeRequest request) {
        return !request.stop().stopStrings().isEmpty();
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }
}
