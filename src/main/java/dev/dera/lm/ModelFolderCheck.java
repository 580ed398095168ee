package dev.dera.lm;

import dev.dera.lm.safetensors.Checkpoint;
import dev.dera.lm.safetensors.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Everything {@link LanguageModel#load} checks about a model folder, without reading a weight: config.json,
 * generation_config.json, the tokenizer's fit to the vocabulary, and every safetensors header against the tensors
 * the config needs (names, shapes, dtypes, offsets, file sizes). The loader runs the same checks, so a folder that
 * passes here loads, and a folder that fails here fails there with the same message.
 */
public final class ModelFolderCheck {
    private ModelFolderCheck() {}

    /**
     * Checks one model folder; returns its config.
     *
     * @throws ModelConfigException or {@link dev.dera.lm.safetensors.SafetensorsException} saying what is wrong
     */
    public static ModelConfig check(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelConfigException("model folder " + dir + " does not exist");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new ModelConfigException("model folder " + dir + " cannot be read (check its permissions)");
        }
        ModelConfig config = ModelConfig.load(dir);
        TextTokenizer.checkFiles(dir, config, GenerationConfig.load(dir));
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            requireTensors(checkpoint, config);
        }
        return config;
    }

    /**
     * Checks two folders for a DeRa pair: each on its own, then one shared tokenizer and vocabulary.
     *
     * @throws ModelConfigException naming both folders when their tokenizers or vocabularies differ
     */
    public static void checkPair(Path referenceDir, Path alignedDir) {
        ModelConfig reference = check(referenceDir);
        ModelConfig aligned = check(alignedDir);
        requireSameTokenizer(referenceDir, alignedDir);
        if (reference.vocabSize() != aligned.vocabSize()) {
            throw new ModelConfigException("the models' vocab_size differ: reference " + referenceDir + " has "
                    + reference.vocabSize() + ", aligned " + alignedDir + " has " + aligned.vocabSize()
                    + "; DeRa needs one shared vocabulary");
        }
    }

    /** Checks, from the tokenizer.json files alone, that two model folders share one tokenizer. */
    public static void requireSameTokenizer(Path referenceDir, Path alignedDir) {
        if (!TokenizerIdentity.of(referenceDir).equals(TokenizerIdentity.of(alignedDir))) {
            throw new ModelConfigException("the reference (" + referenceDir + ") and aligned (" + alignedDir
                    + ") models have different tokenizers; DeRa mixes logits token by token and needs one vocabulary");
        }
    }

    /**
     * Checks that the checkpoint holds every tensor the config needs, under its own name or the family's alias,
     * with exactly the shape config.json implies; returns the stored name of each.
     */
    static Map<String, String> requireTensors(Checkpoint checkpoint, ModelConfig config) {
        Map<String, String> storedNames = TensorLayout.storedNames(config, checkpoint.tensorNames());
        checkpoint.requireAll(storedNames.values());
        TensorLayout.shapes(config).forEach((name, expected) -> {
            TensorInfo info = checkpoint.tensor(storedNames.get(name));
            if (!Arrays.equals(info.shape(), expected)) {
                throw new ModelConfigException("tensor " + name + " has shape " + Arrays.toString(info.shape())
                        + " but config.json implies " + Arrays.toString(expected));
            }
        });
        return storedNames;
    }
}
