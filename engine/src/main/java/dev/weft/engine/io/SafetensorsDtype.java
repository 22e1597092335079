package dev.weft.engine.io;

/**
 * The element types a safetensors header may name, with their size in bytes.
 *
 * <p>All are little-endian. Floating types convert to {@code float} on reading
 * ({@code F16}, {@code BF16}, {@code F64} and the two 8-bit float formats by exact conversion to the
 * nearest float); integer types and {@code BOOL} read exactly as ints or longs. Sub-byte formats of
 * newer safetensors versions ({@code F4}, {@code F6_*}, {@code F8_E8M0}) are not supported: a file
 * naming them is rejected like a file with an unknown dtype.
 */
public enum SafetensorsDtype {
    /** Boolean, one byte per element (0 = false, anything else = true). */
    BOOL(1, false),
    /** Unsigned 8-bit integer. */
    U8(1, false),
    /** Signed 8-bit integer. */
    I8(1, false),
    /** 8-bit float with 5 exponent and 2 mantissa bits (the top byte of an F16). */
    F8_E5M2(1, true),
    /** 8-bit float with 4 exponent and 3 mantissa bits, bias 7, no infinities, NaN = S.1111.111. */
    F8_E4M3(1, true),
    /** Signed 16-bit integer. */
    I16(2, false),
    /** Unsigned 16-bit integer. */
    U16(2, false),
    /** IEEE 754 half precision. */
    F16(2, true),
    /** bfloat16: the top 16 bits of an F32. */
    BF16(2, true),
    /** Signed 32-bit integer. */
    I32(4, false),
    /** Unsigned 32-bit integer. */
    U32(4, false),
    /** IEEE 754 single precision (Weft's native element type). */
    F32(4, true),
    /** IEEE 754 double precision (converted to the nearest float on reading). */
    F64(8, true),
    /** Signed 64-bit integer. */
    I64(8, false),
    /** Unsigned 64-bit integer. */
    U64(8, false);

    private final int byteSize;
    private final boolean floating;

    SafetensorsDtype(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    /** True for the floating-point types, false for integers and BOOL. */
    public boolean isFloatingPoint() { return floating; }

    /** The dtype spelled {@code name} in a header (case-sensitive), or null if there is none. */
    public static SafetensorsDtype fromHeaderName(String name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }
}
