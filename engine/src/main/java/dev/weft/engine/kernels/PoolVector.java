package dev.weft.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API pooling loops of {@link Pool}, one image per call, vectorised over channels (scalar channel tail). */
final class PoolVector {
    private PoolVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    static void maxForwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] y, int yOff) {
        int cv = s.c - s.c % L;
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int y0 = s.rowStart(oy), y1 = s.rowEnd(oy), x0 = s.colStart(ox), x1 = s.colEnd(ox);
                int yo = yOff + ((n * s.oh + oy) * s.ow + ox) * s.c;
                for (int c = 0; c < cv; c += L) {
                    FloatVector m = FloatVector.fromArray(S, x, xOff + ((n * s.h + y0) * s.w + x0) * s.c + c);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            m = m.max(FloatVector.fromArray(S, x, xOff + ((n * s.h + iy) * s.w + ix) * s.c + c));
                    m.intoArray(y, yo + c);
                }
                for (int c = cv; c < s.c; c++) y[yo + c] = x[PoolReference.argmax(s, n, oy, ox, c, x, xOff)];
            }
    }

    static void maxBackwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int img = s.h * s.w * s.c;
        Arrays.fill(dx, dxOff + n * img, dxOff + (n + 1) * img, 0f);
        int cv = s.c - s.c % L;
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int y0 = s.rowStart(oy), y1 = s.rowEnd(oy), x0 = s.colStart(ox), x1 = s.colEnd(ox);
                int go = dyOff + ((n * s.oh + oy) * s.ow + ox) * s.c;
                for (int c = 0; c < cv; c += L) {
                    FloatVector m = FloatVector.fromArray(S, x, xOff + ((n * s.h + y0) * s.w + x0) * s.c + c);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            m = m.max(FloatVector.fromArray(S, x, xOff + ((n * s.h + iy) * s.w + ix) * s.c + c));
                    FloatVector g = FloatVector.fromArray(S, dy, go + c);
                    VectorMask<Float> done = S.maskAll(false);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) {
                            int cell = ((n * s.h + iy) * s.w + ix) * s.c + c;
                            VectorMask<Float> hit = FloatVector.fromArray(S, x, xOff + cell).compare(VectorOperators.EQ, m).andNot(done);
                            FloatVector d = FloatVector.fromArray(S, dx, dxOff + cell);
                            d.add(g, hit).intoArray(dx, dxOff + cell);
                            done = done.or(hit);
                        }
                }
                for (int c = cv; c < s.c; c++) {
                    int arg = PoolReference.argmax(s, n, oy, ox, c, x, xOff);
                    dx[arg - xOff + dxOff] += dy[go + c];
                }
            }
    }

    static void avgForwardImage(Pool2dSpec s, int n, float[] x, int xOff, float[] y, int yOff) {
        int cv = s.c - s.c % L;
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int y0 = s.rowStart(oy), y1 = s.rowEnd(oy), x0 = s.colStart(ox), x1 = s.colEnd(ox);
                float cells = (y1 - y0) * (x1 - x0);
                int yo = yOff + ((n * s.oh + oy) * s.ow + ox) * s.c;
                for (int c = 0; c < cv; c += L) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            acc = acc.add(FloatVector.fromArray(S, x, xOff + ((n * s.h + iy) * s.w + ix) * s.c + c));
                    acc.div(cells).intoArray(y, yo + c);
                }
                for (int c = cv; c < s.c; c++) {
                    float acc = 0f;
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) acc += x[xOff + ((n * s.h + iy) * s.w + ix) * s.c + c];
                    y[yo + c] = acc / cells;
                }
            }
    }

    static void avgBackwardImage(Pool2dSpec s, int n, float[] dy, int dyOff, float[] dx, int dxOff) {
        int img = s.h * s.w * s.c;
        Arrays.fill(dx, dxOff + n * img, dxOff + (n + 1) * img, 0f);
        int cv = s.c - s.c % L;
        for (int oy = 0; oy < s.oh; oy++)
            for (int ox = 0; ox < s.ow; ox++) {
                int y0 = s.rowStart(oy), y1 = s.rowEnd(oy), x0 = s.colStart(ox), x1 = s.colEnd(ox);
                float cells = (y1 - y0) * (x1 - x0);
                int go = dyOff + ((n * s.oh + oy) * s.ow + ox) * s.c;
                for (int c = 0; c < cv; c += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, go + c).div(cells);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) {
                            int o = dxOff + ((n * s.h + iy) * s.w + ix) * s.c + c;
                            FloatVector.fromArray(S, dx, o).add(g).intoArray(dx, o);
                        }
                }
                for (int c = cv; c < s.c; c++) {
                    float g = dy[go + c] / cells;
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) dx[dxOff + ((n * s.h + iy) * s.w + ix) * s.c + c] += g;
                }
            }
    }

    static void globalAvgForwardImage(int b, int hw, int c, float[] x, int xOff, float[] y, int yOff) {
        int cv = c - c % L;
        for (int ch = 0; ch < cv; ch += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < hw; p++) acc = acc.add(FloatVector.fromArray(S, x, xOff + (b * hw + p) * c + ch));
            acc.div((float) hw).intoArray(y, yOff + b * c + ch);
        }
        for (int ch = cv; ch < c; ch++) {
            float acc = 0f;
            for (int p = 0; p < hw; p++) acc += x[xOff + (b * hw + p) * c + ch];
            y[yOff + b * c + ch] = acc / hw;
        }
    }
}
