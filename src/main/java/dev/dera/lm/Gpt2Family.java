package dev.dera.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GPT-2: learned position embeddings instead of rotation, pre-norm blocks of LayerNorm with bias, q/k/v in one
 * fused c_attn, a plain MLP with gelu_new, and Conv1D weights stored [in, out] under {@code transformer.*} (or
 * without that prefix, as in OpenAI's original checkpoints).
 */
final class Gpt2Family implements Family {
    static final Gpt2Family INSTANCE = new Gpt2Family();
    private static final String PREFIX = "transformer.";
    private static final String TOKENS = PREFIX + "wte.weight";
    private static final String POSITIONS = PREFIX + "wpe.weight";
    private static final String FINAL_NORM = PREFIX + "ln_f";
    private static final String LM_HEAD = "lm_head.weight";

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("activation_function", "gelu_new", "gelu_new", "gelu_pytorch_tanh");
        fields.refuseTrue("scale_attn_by_inverse_layer_idx", "set it to false");
        fields.refuseTrue("add_cross_attention", "decoder-only models only");
        int hidden = fields.require("n_embd");
        int heads = fields.require("n_head");
        int layers = fields.require("n_layer");
        int headDim = heads > 0 ? hidden / heads : 0;
        double queryScalar = fields.boolOr("scale_attn_weights", true) ? headDim : 1;
        return new ModelConfig(architecture, hidden, fields.intOr("n_inner", 4 * hidden), layers, heads, heads,
                headDim, fields.require("vocab_size"), fields.require("n_positions"),
                fields.doubleOr("layer_norm_epsilon", 1e-5), Rope.linear(10000, 1),
                fields.boolOr("tie_word_embeddings", true), true, true, 0, ModelConfig.everyLayer(layers, false),
                queryScalar, 0, 0);
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        long hidden = config.hiddenSize();
        shapes.add(TOKENS, config.vocabSize(), hidden);
        shapes.add(POSITIONS, config.maxPositions(), hidden);
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = layer(i);
            shapes.layerNorm(prefix + "ln_1", hidden);
            shapes.conv1d(prefix + "attn.c_attn", hidden, 3 * hidden);
            shapes.conv1d(prefix + "attn.c_proj", hidden, hidden);
            shapes.layerNorm(prefix + "ln_2", hidden);
            shapes.conv1d(prefix + "mlp.c_fc", hidden, config.intermediateSize());
            shapes.conv1d(prefix + "mlp.c_proj", config.intermediateSize(), hidden);
        }
        shapes.layerNorm(FINAL_NORM, hidden);
        if (!config.tieWordEmbeddings()) {
            shapes.add(LM_HEAD, config.vocabSize(), hidden);
        }
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        long hidden = config.hiddenSize();
        Embedding embedding = Embedding.withPositions(weights.load(TOKENS), weights.load(POSITIONS));
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = layer(i);
            QueryKeyValue projections = QueryKeyValue.fused(Linear.loadConv1d(weights, prefix + "attn.c_attn"),
                    hidden, hidden);
            Attention attention = new Attention(i, config, projections,
                    Linear.loadConv1d(weights, prefix + "attn.c_proj"), QueryKeyNorms.NONE, false);
            Mlp mlp = Mlp.plain(Linear.loadConv1d(weights, prefix + "mlp.c_fc"),
                    Linear.loadConv1d(weights, prefix + "mlp.c_proj"), ActivationFunction.GELU_TANH);
            layers.add(DecoderLayer.preNorm(LayerNorm.load(weights, prefix + "ln_1", eps), attention,
                    LayerNorm.load(weights, prefix + "ln_2", eps), mlp));
        }
        var output = config.tieWordEmbeddings() ? embedding.table() : weights.load(LM_HEAD);
        return new Parts(embedding, layers, LayerNorm.load(weights, FINAL_NORM, eps), output.swapAxes(-1, -2));
    }

    /** OpenAI's original checkpoints store the transformer's tensors without the "transformer." prefix. */
    @Override
    public String storedName(String name, Set<String> stored) {
        boolean unprefixed = !stored.contains(name) && name.startsWith(PREFIX)
                && stored.contains(name.substring(PREFIX.length()));
        return unprefixed ? name.substring(PREFIX.length()) : name;
    }

    @Override
    public String tokenEmbedding() {
        return TOKENS;
    }

    @Override
    public boolean rotary() {
        return false;
    }

    private static String layer(int index) {
        return PREFIX + "h." + index + ".";
    }
}
