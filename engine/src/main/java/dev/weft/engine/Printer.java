package dev.weft.engine;

final class Printer {
    private Printer() {}
    static String format(IntTensor t) { return "IntTensor" + Shape.str(t.shape()); }
}
