package dev.weft.nn.optim;

import dev.weft.engine.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdamW: {@link Adam} with decoupled weight decay, Keras 3's {@code AdamW} (weight_decay 0.004 by
 * default, lr 1e-3, β1 0.9, β2 0.999, ε 1e-7). Each step first shrinks the weights,
 * {@code w ← w − w·wd·lr}, then applies Adam's update. {@code torch.optim.AdamW} decays the same way
 * ({@code w ← w·(1 − lr·wd)}, default wd 0.01) but puts ε after the bias correction like its Adam.
 */
public final class AdamW extends Adam {
    /** Keras' defaults (weight decay 0.004). */
    public AdamW(Map<String, Tensor> params) { this(params, 1e-3f, 0.004f); }

    /** Keras' defaults over a list of parameters, named "0", "1", ... in the state. */
    public AdamW(List<Tensor> params) { this(byPosition(params)); }

    /** Keras' betas and ε with the given learning rate and decoupled weight decay (&gt;= 0). */
    public AdamW(Map<String, Tensor> params, float learningRate, float weightDecay) {
        super(params, learningRate);
        weightDecay(weightDecay);
    }
}
