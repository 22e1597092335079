package dev.weft.nn;

import dev.weft.engine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A building block with named parameters, buffers and child modules, like {@code torch.nn.Module}
 * and Keras' {@code Layer}.
 *
 * <p>Parameters are tensors with {@code requiresGrad(true)} that optimizers update; buffers are
 * state that is saved with the weights but not trained (BatchNormalization's moving statistics).
 * Names are dotted paths ({@code "block1.conv.kernel"}), in registration order, which is also the
 * order of weight files and of {@code summary()}.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter (its {@code requiresGrad} is set); returns it. */
    protected Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        params.put(name, value);
        return value;
    }

    /** Registers a non-trainable parameter (saved and counted, but not updated by optimizers). */
    protected Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Replaces a buffer's tensor (e.g. new moving statistics); the name must exist. */
    protected void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "'");
        buffers.put(name, value);
    }

    /** Registers a child module; returns it. */
    protected <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name + "' (non-empty, no dots)");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
    }

    /** Trainable parameters of this module and all descendants, by dotted name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    /** Buffers of this module and all descendants, by dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean parameters) {
        for (var e : (parameters ? params : buffers).entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out, parameters);
    }

    /** Trainable parameters in registration order. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters and buffers together: everything a weight file holds. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>(namedParameters());
        out.putAll(namedBuffers());
        return out;
    }

    /** Direct children by name. */
    public Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Calls {@code fn} on this module and every descendant (depth-first, parents first). */
    public Module apply(Consumer<Module> fn) {
        fn.accept(this);
        for (Module c : children.values()) c.apply(fn);
        return this;
    }

    /** Training mode (dropout active, batch statistics in BatchNormalization). */
    public Module train() { return setTraining(true); }

    /** Inference mode. */
    public Module eval() { return setTraining(false); }

    private Module setTraining(boolean on) {
        apply(m -> m.training = on);
        return this;
    }

    /** True in training mode. */
    public boolean isTraining() { return training; }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    /** Number of trainable scalars. */
    public long countParameters() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.numel();
        return n;
    }

    /** Number of non-trainable scalars (buffers). */
    public long countBuffers() {
        long n = 0;
        for (Tensor b : namedBuffers().values()) n += b.numel();
        return n;
    }
}
