package dev.dera.lm.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/** Shared test helpers: the shared test models, hand-crafted files, and checks on rejections. */
final class Fixtures {

    private Fixtures() {
    }

    /** The shared test models folder, from the {@code dera.sharedModels} system property that surefire sets. */
    static Path sharedModels() {
        String folder = Objects.requireNonNull(System.getProperty("dera.sharedModels"),
                "system property dera.sharedModels is not set");
        return Path.of(folder);
    }

    /** Writes a file that declares {@code declaredHeaderLength}, followed by {@code header} and {@code data}. */
    static Path rawFile(Path file, long declaredHeaderLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(declaredHeaderLength).put(header);
        Files.write(file, bytes.array());
        return file;
    }

    /** Writes a file with header {@code json} (truthfully sized) and {@code dataBytes} zero bytes of data. */
    static Path fileWithHeader(Path file, String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return rawFile(file, header.length, header, dataBytes);
    }

    /**
     * Asserts that {@code action} throws a {@link SafetensorsException} about {@code file} and {@code tensor} (or no
     * tensor when null) whose message contains {@code fragment}; returns the message.
     */
    static String assertRejected(Path file, String tensor, String fragment, Executable action) {
        SafetensorsException e = assertThrows(SafetensorsException.class, action);
        String message = e.getMessage();
        assertEquals(file, e.file(), message);
        assertTrue(message.contains(file.toString()), "message does not name the file: " + message);
        assertEquals(Optional.ofNullable(tensor), e.tensor(), message);
        if (tensor != null) {
            assertTrue(message.contains("'" + tensor + "'"), "message does not name the tensor: " + message);
        }
        assertTrue(message.contains(fragment), "expected \"" + fragment + "\" in: " + message);
        return message;
    }
}
