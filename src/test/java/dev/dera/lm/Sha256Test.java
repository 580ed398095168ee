package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void matchesThePublishedDigestOfAbc() throws IOException {
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2, example 1
        assertEquals(abc, Sha256.ofText("abc"));
        assertEquals(abc, Sha256.ofStream(new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aStreamLongerThanOneBufferHashesAsItsWholeText() throws IOException {
        String text = "dera ".repeat(700_000); // 3.5 MB, several reads
        assertEquals(Sha256.ofText(text),
                Sha256.ofStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }
}
