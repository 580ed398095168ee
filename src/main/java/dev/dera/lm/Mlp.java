package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/**
 * A feed-forward block: gated, down(act(gate(x)) * up(x)) (Llama's SwiGLU, Gemma's GeGLU; gate and up may be one
 * fused projection), or plain, down(act(up(x))) (GPT-2).
 */
final class Mlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final ActivationFunction activation;
    private final long fusedGateWidth;

    private Mlp(Linear gate, Linear up, Linear down, ActivationFunction activation, long fusedGateWidth) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.activation = activation;
        this.fusedGateWidth = fusedGateWidth;
    }

    static Mlp gated(Linear gate, Linear up, Linear down, ActivationFunction activation) {
        return new Mlp(gate, up, down, activation, 0);
    }

    /** A gated MLP whose one projection holds gate (the first {@code width} outputs) then up (Phi-3). */
    static Mlp fusedGated(Linear gateUp, long width, Linear down, ActivationFunction activation) {
        return new Mlp(null, gateUp, down, activation, width);
    }

    static Mlp plain(Linear up, Linear down, ActivationFunction activation) {
        return new Mlp(null, up, down, activation, 0);
    }

    NDArray apply(NDArray h) {
        if (fusedGateWidth > 0) {
            NDArray both = up.apply(h);
            NDArray gated = activation.apply(both.get("..., :{}", fusedGateWidth));
            return down.apply(gated.mul(both.get("..., {}:", fusedGateWidth)));
        }
        if (gate == null) {
            return down.apply(activation.apply(up.apply(h)));
        }
        return down.apply(activation.apply(gate.apply(h)).mul(up.apply(h)));
    }
}
