package dev.dera.decode;

import dev.dera.train.TokenizerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A folder holding a tokenizer that is not stories260K's, to check the shared-tokenizer rule. */
final class DifferentTokenizer {
    private DifferentTokenizer() {}

    static Path folder() {
        try {
            Path dir = Files.createTempDirectory("other-tokenizer");
            TokenizerBuilder.build(List.of("A small red fox ran home.", "The sun was warm."), 64).write(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
