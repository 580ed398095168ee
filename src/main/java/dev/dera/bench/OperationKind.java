package dev.dera.bench;

import java.util.Set;

/** Kinds of ATen operators, for telling where a step's native time goes. */
enum OperationKind {
    MATMUL("matmul", Set.of("matmul", "mm", "bmm", "addmm", "baddbmm", "linear", "einsum")),
    REDUCTION("softmax & reductions", Set.of("softmax", "_softmax", "log_softmax", "_log_softmax", "mean", "sum",
            "max", "min", "amax", "amin", "argmax", "argmin", "logsumexp", "norm", "cumsum", "sort", "topk", "prod",
            "all", "any", "multinomial")),
    ELEMENTWISE("elementwise", Set.of("add", "add_", "sub", "rsub", "mul", "mul_", "div", "div_", "exp", "log",
            "neg", "sqrt", "rsqrt", "square", "pow", "sigmoid", "tanh", "silu", "gelu", "relu", "maximum",
            "minimum", "clamp", "where", "lt", "gt", "le", "ge", "eq", "ne", "logical_and", "logical_or",
            "logical_not", "abs", "erf", "reciprocal", "sin", "cos", "masked_fill", "masked_fill_")),
    COPY("copies & indexing", Set.of("copy_", "cat", "stack", "index", "index_put_", "_index_put_impl_", "gather",
            "scatter", "scatter_", "clone", "contiguous", "to", "_to_copy", "full", "zeros", "ones", "empty",
            "empty_strided", "fill_", "zero_", "index_select", "repeat", "arange", "embedding", "take",
            "index_copy_", "index_fill_")),
    VIEW("views", Set.of("reshape", "view", "slice", "select", "permute", "transpose", "swapaxes", "split",
            "split_with_sizes", "unsqueeze", "squeeze", "expand", "as_strided", "_reshape_alias", "t", "flatten",
            "unflatten", "chunk", "narrow", "alias", "detach", "unbind", "_unsafe_view")),
    OTHER("other native", Set.of());

    private final String heading;
    private final Set<String> operators;

    OperationKind(String heading, Set<String> operators) {
        this.heading = heading;
        this.operators = operators;
    }

    /** The column heading for this kind. */
    String heading() {
        return heading;
    }

    /** The kind of an ATen operator, by its profiler name such as {@code aten::matmul}. */
    static OperationKind of(String name) {
        String operator = name.startsWith("aten::") ? name.substring("aten::".length()) : name;
        for (OperationKind kind : values()) {
            if (kind.operators.contains(operator)) {
                return kind;
            }
        }
        return OTHER;
    }
}
