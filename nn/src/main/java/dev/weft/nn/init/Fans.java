package dev.weft.nn.init;

/**
 * Keras' fan computation ({@code compute_fans}): for a Dense kernel {@code [in, out]} the fans are
 * in and out; for a conv kernel {@code [kh, kw, cin, cout]} they are {@code kh·kw·cin} and
 * {@code kh·kw·cout} (receptive field times channels); a vector has both fans equal to its length.
 */
public record Fans(double fanIn, double fanOut) {
    /** The fans of a weight of {@code shape}. */
    public static Fans of(int... shape) {
        if (shape.length == 0) return new Fans(1, 1);
        if (shape.length == 1) return new Fans(shape[0], shape[0]);
        if (shape.length == 2) return new Fans(shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        return new Fans(shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive);
    }

    /** (fanIn + fanOut) / 2. */
    public double fanAvg() { return (fanIn + fanOut) / 2; }
}
