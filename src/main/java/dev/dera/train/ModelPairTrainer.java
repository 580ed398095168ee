package dev.dera.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import dev.dera.lm.DjlRuntime;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderWriter;
import dev.dera.lm.TextTokenizer;
import dev.dera.lm.safetensors.TensorDType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Trains the project's own reference/aligned model pair from nothing, deterministically: a word-level tokenizer
 * built from a mixed-mood {@link StoryCorpus}, a {@link TinyLlama} reference trained on it ({@link SftTrainer}),
 * preference pairs sampled from the reference and ranked by a {@link Reward} ({@link PreferenceSampler}), and the
 * aligned model trained from the reference with {@link DpoTrainer}. Writes {@code out/reference} and
 * {@code out/aligned} as Hugging Face folders with the same tokenizer.
 */
public final class ModelPairTrainer {

    /** Folder name of the reference model under the output folder. */
    public static final String REFERENCE = "reference";
    /** Folder name of the aligned model under the output folder. */
    public static final String ALIGNED = "aligned";

    private static final int MAX_VOCAB = 1024;
    private static final int SFT_BATCH = 32;
    private static final double SFT_LEARNING_RATE = 3e-3;
    private static final int SAMPLES_PER_PROMPT = 4;
    private static final int MAX_NEW_TOKENS = 96;
    private static final int DPO_BATCH = 16;
    private static final double DPO_LEARNING_RATE = 3e-4;

    /**
     * What to train.
     *
     * @param seed seeds the corpus, the initial weights, the batch orders and the preference sampling
     * @param stories stories in the SFT corpus
     * @param dpoPrompts prompts to sample preference pairs for ({@value #SAMPLES_PER_PROMPT} completions each)
     * @param beta DPO's KL strength
     * @param reward name of the reward ({@link Rewards#byName}) that ranks the sampled completions
     */
    public record Plan(long seed, int stories, int sftSteps, int dpoPrompts, int dpoSteps, double beta,
            String reward) {

        /** Checks every value up front, so that a bad one fails before minutes of training. */
        public Plan {
            if (stories < 1 || sftSteps < 0 || dpoPrompts < 1 || dpoSteps < 0) {
                throw new IllegalArgumentException("need stories >= 1, sft steps >= 0, DPO prompts >= 1 and"
                        + " DPO steps >= 0");
            }
            if (!(beta > 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
            }
            Rewards.byName(reward);
        }

        /** The plan behind the embedded models in models/embedded. */
        public static Plan defaults() {
            return new Plan(7, StoryCorpus.DEFAULT_STORIES, 1500, 512, 200, 0.1, SentimentReward.NAME);
        }
    }

    /**
     * What a run produced.
     *
     * @param preferencePairs pairs kept for DPO (prompts whose samples all scored the same give none)
     */
    public record Report(ProgressLog.PhaseResult sft, int preferencePairs, double samplingSeconds,
            ProgressLog.PhaseResult dpo, String referenceSha256, String alignedSha256) {
    }

    /** The outcome of {@link #align}: the DPO phase and the hash of the aligned weights. */
    public record AlignmentResult(ProgressLog.PhaseResult phase, String sha256) {
    }

    private ModelPairTrainer() {
    }

    /** Runs the plan and writes {@code out/reference} and {@code out/aligned}. */
    public static Report train(Plan plan, Path out, PrintStream progress) {
        DjlRuntime.ensureOffline();
        Path referenceDir = out.resolve(REFERENCE);
        Path alignedDir = out.resolve(ALIGNED);
        List<String> corpus = StoryCorpus.generateMixed(plan.seed(), plan.stories());
        TokenizerBuilder tokenizer = TokenizerBuilder.build(corpus, MAX_VOCAB);
        writeTokenizer(tokenizer, referenceDir);
        ModelConfig config = TinyLlama.config(tokenizer.vocabSize());
        GenerationConfig generation = TinyLlama.generation();
        progress.printf("corpus: %d stories, vocabulary %d tokens%n", corpus.size(), tokenizer.vocabSize());

        ProgressLog.PhaseResult sft;
        String referenceHash;
        try (NDManager root = NDManager.newBaseManager(Device.cpu());
                TrainableWeights reference = TrainableWeights.initialize(config, plan.seed(), root)) {
            progress.printf("reference: %d parameters%n", reference.parameterCount());
            List<ScoredSequence> sequences = encode(corpus, referenceDir, config, generation);
            sft = SftTrainer.train(reference, generation, sequences,
                    new SftTrainer.Settings(plan.sftSteps(), SFT_BATCH, SFT_LEARNING_RATE, plan.seed()), progress);
            ModelFolderWriter.write(referenceDir, config, generation, reference.toFloats(), TensorDType.F32);
            referenceHash = reference.sha256();
        }
        progress.println(sft);

        long samplingStart = System.nanoTime();
        List<PreferencePair> pairs;
        try (ModelPair sampler = ModelPair.load(referenceDir, referenceDir, Device.cpu(), ComputeType.FLOAT32)) {
            pairs = PreferenceSampler.sample(sampler, StoryCorpus.prompts(plan.seed(), plan.dpoPrompts()),
                    SAMPLES_PER_PROMPT, MAX_NEW_TOKENS, Rewards.byName(plan.reward()), plan.seed());
        }
        double samplingSeconds = (System.nanoTime() - samplingStart) / 1e9;
        progress.printf("preference pairs: %d of %d prompts, sampled in %.1f s%n", pairs.size(), plan.dpoPrompts(),
                samplingSeconds);

        DpoTrainer.Settings dpoSettings =
                new DpoTrainer.Settings(plan.dpoSteps(), DPO_BATCH, plan.beta(), DPO_LEARNING_RATE, plan.seed());
        AlignmentResult aligned = align(referenceDir, alignedDir, pairs, dpoSettings, progress);
        progress.println(aligned.phase());
        return new Report(sft, pairs.size(), samplingSeconds, aligned.phase(), referenceHash, aligned.sha256());
    }

    /**
     * Trains a copy of the model in {@code referenceDir} with DPO on {@code pairs} and writes it, with the
     * reference's tokenizer, to {@code alignedDir}. Works for any Llama-family folder.
     */
    public static AlignmentResult align(Path referenceDir, Path alignedDir, List<PreferencePair> pairs,
            DpoTrainer.Settings settings, PrintStream progress) {
        try (LanguageModel reference = LanguageModel.load(referenceDir);
                TrainableWeights policy = TrainableWeights.load(referenceDir, reference.manager())) {
            ProgressLog.PhaseResult phase = DpoTrainer.train(policy, reference, pairs, settings, progress);
            ModelFolderWriter.write(alignedDir, policy.config(), reference.generation(), policy.toFloats(),
                    TensorDType.F32);
            ModelFolderWriter.copyTokenizer(referenceDir, alignedDir);
            return new AlignmentResult(phase, policy.sha256());
        }
    }

    private static void writeTokenizer(TokenizerBuilder tokenizer, Path dir) {
        try {
            tokenizer.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + dir, e);
        }
    }

    /** Each story as BOS, its tokens and EOS, cut to the context length. */
    private static List<ScoredSequence> encode(List<String> corpus, Path tokenizerDir, ModelConfig config,
            GenerationConfig generation) {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir, config, generation)) {
            return corpus.stream().map(story -> {
                int[] ids = tokenizer.encode(story);
                int[] withEos = Arrays.copyOf(ids, Math.min(ids.length + 1, config.maxPositions()));
                if (withEos.length > ids.length) {
                    withEos[ids.length] = TokenizerBuilder.EOS_ID;
                }
                return new ScoredSequence(withEos, 1);
            }).toList();
        }
    }
}
