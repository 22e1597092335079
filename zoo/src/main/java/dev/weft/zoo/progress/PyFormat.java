package dev.weft.zoo.progress;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code %.Nf} / {@code %.Ne} number formatting, which the Keras progress bar uses: correctly
 * rounded (half-even on the exact binary value; {@code String.format} rounds the shortest decimal
 * half-up, which differs on values like 1.00005), and {@code nan}, {@code inf}, {@code -inf}.
 */
public final class PyFormat {
    private PyFormat() {}

    /** {@code "%.{digits}f" % v}. */
    public static String fixed(double v, int digits) {
        String special = special(v);
        if (special != null) return special;
        String s = new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        return negativeZero(v, s);
    }

    /** {@code "%.{digits}e" % v}, e.g. {@code 1.2346e-04}. */
    public static String scientific(double v, int digits) {
        String special = special(v);
        if (special != null) return special;
        if (v == 0) return (1 / v < 0 ? "-" : "") + fixed(0, digits) + "e+00";
        BigDecimal d = new BigDecimal(v).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
        // d = unscaled · 10^(-scale); exponent of the leading digit:
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).setScale(digits, RoundingMode.HALF_EVEN);
        String exp = String.format("%02d", Math.abs(exponent));
        return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    /** Python's {@code "%.0f" % v} for a non-negative duration: round half to even. */
    public static long roundHalfEven(double v) { return (long) Math.rint(v); }

    private static String special(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v == Double.POSITIVE_INFINITY) return "inf";
        if (v == Double.NEGATIVE_INFINITY) return "-inf";
        return null;
    }

    private static String negativeZero(double v, String s) {
        // BigDecimal drops the sign of -0.0 and of negatives that round to zero; Python keeps it
        if ((v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-")) return "-" + s;
        return s;
    }
}
