package dev.weft.nn.layers;

import dev.weft.engine.Tensor;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Keras activation functions by name ({@code "relu"}, {@code "softmax"}, ...), built from differentiable tensor ops. */
public enum Activations implements UnaryOperator<Tensor> {
    /** Identity (Keras' default, {@code None} / {@code "linear"}). */
    LINEAR { public Tensor apply(Tensor x) { return x; } },
    /** max(x, 0). */
    RELU { public Tensor apply(Tensor x) { return x.relu(); } },
    /** 1 / (1 + e^-x). */
    SIGMOID { public Tensor apply(Tensor x) { return x.sigmoid(); } },
    /** tanh(x). */
    TANH { public Tensor apply(Tensor x) { return x.tanh(); } },
    /** Softmax over the last axis (Keras' default axis). */
    SOFTMAX { public Tensor apply(Tensor x) { return x.softmax(-1); } },
    /** log(1 + e^x), computed as relu(x) + log(1 + e^-|x|) so it never overflows. */
    SOFTPLUS { public Tensor apply(Tensor x) { return x.relu().add(x.abs().neg().exp().add(1f).log()); } },
    /** x · sigmoid(x). */
    SWISH { public Tensor apply(Tensor x) { return x.mul(x.sigmoid()); } },
    /** x if x &gt; 0 else e^x - 1 (the exp is taken of min(x, 0) so it stays finite). */
    ELU { public Tensor apply(Tensor x) {
        Tensor neg = x.clamp(Float.NEGATIVE_INFINITY, 0f);
        return x.relu().add(neg.exp().sub(1f));
    } };

    /** Looks an activation up by its Keras name (null or "linear" → LINEAR; "silu" = "swish"). */
    public static Activations of(String name) {
        if (name == null) return LINEAR;
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("silu")) return SWISH;
        for (Activations a : values()) if (a.name().toLowerCase(Locale.ROOT).equals(n)) return a;
        throw new IllegalArgumentException("Activation: unknown activation '" + name + "' (known: linear, relu, sigmoid, tanh, softmax, softplus, swish, elu)");
    }

    /** The Keras name, e.g. {@code "relu"}. */
    public String kerasName() { return name().toLowerCase(Locale.ROOT); }
}
