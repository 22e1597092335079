package dev.weft.nn.layers;

import dev.weft.engine.kernels.Conv2dSpec;
import dev.weft.engine.kernels.Pool2dSpec;
import dev.weft.nn.Layer;

/** Shared options of the 2-D pooling layers: pool size (default 2x2), strides (default = pool size), padding. */
abstract class Pool2D<T extends Pool2D<T>> extends Layer {
    protected final int ph, pw;
    protected int sh, sw;
    protected Conv2dSpec.Padding padding = Conv2dSpec.Padding.VALID;

    Pool2D(int ph, int pw) {
        if (ph <= 0 || pw <= 0) throw new IllegalArgumentException(typeName() + ": pool size must be positive, got " + ph + "x" + pw);
        this.ph = ph; this.pw = pw; this.sh = ph; this.sw = pw;
    }

    @SuppressWarnings("unchecked") private T self() { return (T) this; }

    /** Same stride on both axes; returns this. */
    public T strides(int s) { return strides(s, s); }
    /** Strides (default: the pool size); returns this. */
    public T strides(int sh, int sw) {
        if (sh <= 0 || sw <= 0) throw new IllegalArgumentException(typeName() + ": strides must be positive, got " + sh + "x" + sw);
        this.sh = sh; this.sw = sw; return self();
    }
    /** "valid" (default) or "same"; returns this. */
    public T padding(String p) { this.padding = Padding.of(typeName(), p); return self(); }

    @Override protected int[] computeOutputShape(int[][] in) {
        int[] s = single(in, 4);
        try {
            Pool2dSpec p = Pool2dSpec.of(1, s[0], s[1], s[2], ph, pw, sh, sw, padding);
            return new int[] {p.oh, p.ow, s[2]};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": pool " + ph + "x" + pw + " does not fit input " + batchShapeString(s)
                    + ": " + e.getMessage(), e);
        }
    }
}
