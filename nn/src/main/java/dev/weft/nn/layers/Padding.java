package dev.weft.nn.layers;

import dev.weft.engine.kernels.Conv2dSpec;
import java.util.Locale;

/** Parses Keras padding names ("valid", "same") for conv and pooling layers. */
final class Padding {
    private Padding() {}

    static Conv2dSpec.Padding of(String layer, String name) {
        if (name != null) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "valid": return Conv2dSpec.Padding.VALID;
                case "same": return Conv2dSpec.Padding.SAME;
                default: break;
            }
        }
        throw new IllegalArgumentException(layer + ": padding must be \"valid\" or \"same\", got " + (name == null ? "null" : "\"" + name + "\""));
    }

    /** Output height/width of a window op on an {@code h x w} plane (Keras rules), or an error naming the layer. */
    static int[] outputHW(String layer, int[] perSample, int kh, int kw, int sh, int sw, int dh, int dw, Conv2dSpec.Padding p) {
        try {
            Conv2dSpec s = Conv2dSpec.of(1, perSample[0], perSample[1], Math.max(perSample[2], 1), kh, kw, 1, sh, sw, dh, dw, p);
            return new int[] {s.oh, s.ow};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + ": window " + kh + "x" + kw + " does not fit input "
                    + dev.weft.nn.Layer.batchShapeString(perSample) + ": " + e.getMessage(), e);
        }
    }
}
