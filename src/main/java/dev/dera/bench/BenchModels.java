package dev.dera.bench;

import ai.djl.Device;
import dev.dera.lm.Architecture;
import dev.dera.lm.ComputeType;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderWriter;
import dev.dera.lm.RandomWeights;
import dev.dera.train.StoryCorpus;
import dev.dera.train.TokenizerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** Model pairs for benchmarks: a given pair of folders, or random-weight pairs of a chosen size. */
final class BenchModels {
    private BenchModels() {}

    /** The mid-size Llama: hidden 512, 8 layers, vocab 32,000. */
    static ModelConfig midSize(int context) {
        return new ModelConfig(Architecture.LLAMA, 512, 1376, 8, 8, 8, 64, 32000, context, 1e-5, 10000.0, 1.0,
                true, false, 0);
    }

    /** A stories260K-sized Llama with a long context, for the 2,000-step memory check. */
    static ModelConfig tinyLongContext(int context) {
        return new ModelConfig(Architecture.LLAMA, 64, 172, 5, 8, 4, 8, 512, context, 1e-5, 10000.0, 1.0,
                true, false, 0);
    }

    /** Two random models of one config (different seeds) with a shared tokenizer, loaded on {@code device}. */
    static BenchPair randomPair(ModelConfig config, Device device) {
        try {
            Path root = Files.createTempDirectory("dera-bench");
            Path reference = root.resolve("reference");
            Path aligned = root.resolve("aligned");
            GenerationConfig noEos = new GenerationConfig(Set.of(), 1);
            RandomWeights.writeFolder(reference, config, noEos, 1);
            RandomWeights.writeFolder(aligned, config, noEos, 2);
            TokenizerBuilder tokenizer = TokenizerBuilder.build(StoryCorpus.generateMixed(7, 500), config.vocabSize());
            tokenizer.write(reference);
            ModelFolderWriter.copyTokenizer(reference, aligned);
            try {
                return BenchPair.load(reference, aligned, device);
            } finally {
                deleteRecursively(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark models", e);
        }
    }

    /** One random model of {@code config} (no tokenizer), loaded on the CPU in float32. */
    static LanguageModel randomModel(ModelConfig config) {
        return randomModel(config, 1);
    }

    /** {@code models} copies of one random model of {@code config}, stacked, on the CPU in float32. */
    static LanguageModel randomModel(ModelConfig config, int models) {
        try {
            Path folder = Files.createTempDirectory("dera-bench-model");
            try {
                RandomWeights.writeFolder(folder, config, new GenerationConfig(Set.of(), 1), 1);
                return LanguageModel.loadStacked(Collections.nCopies(models, folder), config, Device.cpu(),
                        ComputeType.FLOAT32);
            } finally {
                deleteRecursively(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a benchmark model", e);
        }
    }

    /** Loaded models no longer need their files (Linux keeps mapped weights readable after deletion). */
    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
