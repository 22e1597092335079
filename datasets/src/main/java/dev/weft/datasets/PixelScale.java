package dev.weft.datasets;

/**
 * How 8-bit pixel values 0..255 become floats when a batch is built.
 */
public enum PixelScale {
    /** The raw value, 0..255. */
    RAW,
    /** {@code v / 255}: [0, 1] (the ResNet and VAE seeds). */
    UNIT,
    /** {@code v / 127.5 - 1}: [-1, 1] (the VGG seed; Keras' usual expression). */
    SYMMETRIC;

    /** Scales one pixel value 0..255. */
    public float apply(int v) {
        switch (this) {
            case UNIT: return v / 255f;
            case SYMMETRIC: return v / 127.5f - 1f;
            default: return v;
        }
    }

    /** A 256-entry lookup table of {@link #apply}. */
    public float[] table() {
        float[] t = new float[256];
        for (int i = 0; i < 256; i++) t[i] = apply(i);
        return t;
    }
}
