package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.dera.decode.ModelPair;
import dev.dera.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor model cache's background preload (local mode): one shared pair, errors left to the tasks. */
class ExecutorModelsTest {
    @TempDir
    Path dir;

    @Test
    void thePreloadedPairIsTheOneTheTasksGet() throws Exception {
        // copies of the models, so that no other test of this JVM has loaded this pair already
        TaskSettings settings = settings(copy(SharedModels.reference(), "ref"), copy(SharedModels.aligned(), "al"));
        assertFalse(ExecutorModels.holds(settings, Device.cpu()));
        ExecutorModels.preloadInBackground(settings);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!ExecutorModels.holds(settings, Device.cpu()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ExecutorModels.holds(settings, Device.cpu()), "the preload loaded the pair without any task");
        ModelPair first = ExecutorModels.get(settings, Device.cpu());
        assertSame(first, ExecutorModels.get(settings, Device.cpu()), "tasks share the preloaded pair");
    }

    @Test
    void aPreloadThatFailsLeavesTheErrorToTheTasks() throws Exception {
        Path broken = copy(SharedModels.aligned(), "broken");
        Files.delete(broken.resolve("model.safetensors"));
        TaskSettings settings = settings(copy(SharedModels.reference(), "ref"), broken);
        ExecutorModels.preloadInBackground(settings); // must not throw on the driver's thread
        RuntimeException e = assertThrows(RuntimeException.class, () -> ExecutorModels.get(settings, Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertFalse(ExecutorModels.holds(settings, Device.cpu()), "a failed load leaves nothing cached");
    }

    private TaskSettings settings(Path ref, Path aligned) {
        Path out = dir.resolve("out");
        return DeraTransformer.fromConfig(DeraJobTest.config(dir.resolve("prompts.jsonl"), out, Map.of(
                "model.ref", ref.toString(), "model.aligned", aligned.toString()))).settings(Map.of());
    }

    private Path copy(Path folder, String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }
}
