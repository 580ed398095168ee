package dev.dera.lm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex, as {@code sha256sum} prints it: the one digest that model identities, stamps, caches
 * and the trainers' hash lines use.
 */
public final class Sha256 {
    private static final int BUFFER_BYTES = 1 << 20;

    private Sha256() {}

    /** The digest of a text's UTF-8 bytes. */
    public static String ofText(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The digest of everything {@code in} holds, read to its end (the caller closes it). */
    public static String ofStream(InputStream in) throws IOException {
        MessageDigest sha = newDigest();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            sha.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }
}
