package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Llama's attention_bias and mlp_bias: the logits of a first token equal a forward pass written out here in plain
 * Java (at one token attention returns its own value, so v, o, gate, up and down with their biases all count).
 */
class BiasesTest {

    @Test
    void firstTokenLogitsMatchAPlainJavaForwardWithEveryBias() {
        ModelConfig config = RandomModels.llamaWithBiases();
        Path dir = RandomModels.write(config, 7);
        Map<String, float[]> w = RandomWeights.gaussian(config, 7);
        int token = 11;
        double[] expected = plainForward(config, w, token);
        try (LanguageModel model = LanguageModel.load(dir); NDManager manager = model.manager().newSubManager();
                KvCache cache = model.newCache(manager, 1, 1)) {
            float[] actual = model.prefill(manager.create(new long[][] {{token}}), manager.create(new long[][] {{1}}),
                    cache, manager).toFloatArray();
            assertEquals(config.vocabSize(), actual.length);
            for (int v = 0; v < actual.length; v++) {
                assertEquals(expected[v], actual[v], 1e-4, "logit " + v);
            }
        }
    }

    private static double[] plainForward(ModelConfig c, Map<String, float[]> w, int token) {
        int hidden = c.hiddenSize();
        int kvWidth = c.numKvHeads() * c.headDim();
        double[] x = new double[hidden];
        for (int i = 0; i < hidden; i++) {
            x[i] = w.get("model.embed_tokens.weight")[token * hidden + i];
        }
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[] value = affine(w, p + "self_attn.v_proj", rms(x, w.get(p + "input_layernorm.weight"), c), kvWidth);
            double[] context = new double[c.numHeads() * c.headDim()];
            for (int head = 0; head < c.numHeads(); head++) {
                int kvHead = head / c.queriesPerKvHead();
                System.arraycopy(value, kvHead * c.headDim(), context, head * c.headDim(), c.headDim());
            }
            add(x, affine(w, p + "self_attn.o_proj", context, hidden));
            double[] h = rms(x, w.get(p + "post_attention_layernorm.weight"), c);
            double[] gate = affine(w, p + "mlp.gate_proj", h, c.intermediateSize());
            double[] up = affine(w, p + "mlp.up_proj", h, c.intermediateSize());
            for (int i = 0; i < gate.length; i++) {
                gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
            }
            add(x, affine(w, p + "mlp.down_proj", gate, hidden));
        }
        double[] normed = rms(x, w.get("model.norm.weight"), c);
        double[] logits = new double[c.vocabSize()];
        float[] head = w.get("lm_head.weight");
        for (int v = 0; v < logits.length; v++) {
            for (int i = 0; i < hidden; i++) {
                logits[v] += head[v * hidden + i] * normed[i];
            }
        }
        return logits;
    }

    /** W x + b for an nn.Linear {@code name} with weight [out, in] and a bias. */
    private static double[] affine(Map<String, float[]> w, String name, double[] in, int out) {
        float[] weight = w.get(name + ".weight");
        float[] bias = w.get(name + ".bias");
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            y[o] = bias[o];
            for (int i = 0; i < in.length; i++) {
                y[o] += weight[o * in.length + i] * in[i];
            }
        }
        return y;
    }

    private static double[] rms(double[] x, float[] weight, ModelConfig c) {
        double meanSquare = 0;
        for (double v : x) {
            meanSquare += v * v / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / Math.sqrt(meanSquare + c.normEps()) * weight[i];
        }
        return y;
    }

    private static void add(double[] x, double[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }
}
