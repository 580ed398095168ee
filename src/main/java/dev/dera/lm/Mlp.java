package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A feed-forward block: gated, down(act(gate(x)) * up(x)) (Llama's SwiGLU, Gemma's GeGLU; gate and up may be one
 * fused projection), or plain, down(act(up(x))) (GPT-2).
 */
final class Mlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final ActivationFunction activation;
    private final boolean fusedGate;

    private Mlp(Linear gate, Linear up, Linear down, ActivationFunction activation, boolean fusedGate) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.activation = activation;
        this.fusedGate = fusedGate;
    }

    /**
     * The gated MLP of {@code mlp.gate_proj}, {@code up_proj} and {@code down_proj} under {@code prefix}, with gate
     * and up fused into one matmul where the source allows it ({@link WeightSource#fusible}).
     */
    static Mlp loadGated(WeightSource weights, String prefix, boolean bias, ActivationFunction activation) {
        String gate = prefix + "mlp.gate_proj";
        String up = prefix + "mlp.up_proj";
        Linear down = Linear.load(weights, prefix + "mlp.down_proj", bias);
        if (weights.fusible()) {
            return fusedGated(Linear.loadStacked(weights, bias, gate, up), down, activation);
        }
        return new Mlp(Linear.load(weights, gate, bias), Linear.load(weights, up, bias), down, activation, false);
    }

    /** A gated MLP whose one projection holds gate (the first half of its outputs) then up (Phi-3). */
    static Mlp fusedGated(Linear gateUp, Linear down, ActivationFunction activation) {
        return new Mlp(null, gateUp, down, activation, true);
    }

    static Mlp plain(Linear up, Linear down, ActivationFunction activation) {
        return new Mlp(null, up, down, activation, false);
    }

    NDArray apply(NDArray h) {
        if (fusedGate) {
            NDArray both = up.apply(h);
            NDList gateAndUp = both.split(2, both.getShape().dimension() - 1);
            return down.apply(activation.apply(gateAndUp.get(0)).mul(gateAndUp.get(1)));
        }
        if (gate == null) {
            return down.apply(activation.apply(up.apply(h)));
        }
        return down.apply(activation.apply(gate.apply(h)).mul(up.apply(h)));
    }
}
