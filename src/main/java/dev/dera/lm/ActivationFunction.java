package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The MLP nonlinearities of the supported families. */
enum ActivationFunction {
    /** x * sigmoid(x) (Llama's "silu"). */
    SILU {
        @Override
        NDArray apply(NDArray x) {
            return x.mul(Activation.sigmoid(x));
        }
    },
    /** The tanh approximation of GELU (GPT-2's "gelu_new", Gemma's "gelu_pytorch_tanh"). */
    GELU_TANH {
        @Override
        NDArray apply(NDArray x) {
            NDArray cubic = x.mul(x).mul(x).mul(NativeScalar.like(x, 0.044715));
            NDArray inner = x.add(cubic).mul(NativeScalar.like(x, Math.sqrt(2 / Math.PI)));
            return x.mul(NativeScalar.like(x, 0.5)).mul(inner.tanh().add(NativeScalar.like(x, 1.0)));
        }
    };

    abstract NDArray apply(NDArray x);
}
