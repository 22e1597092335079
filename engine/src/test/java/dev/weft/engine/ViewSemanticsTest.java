package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Views share storage, contiguous() copies only when needed, and NumPy broadcasting shape rules. */
class ViewSemanticsTest {
    /** [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] */
    private static Tensor grid() { return Tensor.arange(12).reshape(3, 4); }

    @Test void viewsShareStorageAndWritesShowThrough() {
        Tensor x = grid();
        Tensor t = x.t();                       // [4, 3]
        assertSame(x.storage(), t.storage());
        t.set(-1f, 2, 1);                       // t[2][1] is x[1][2]
        assertEquals(-1f, x.get(1, 2));

        Tensor s = x.slice(1, 1, 4, 2);         // columns 1 and 3
        assertArrayEquals(new int[] {3, 2}, s.shape());
        assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11}, s.toFloatArray());
        s.fill(0f);
        assertArrayEquals(new float[] {0, 0, 2, 0, 4, 0, -1, 0, 8, 0, 10, 0}, x.toFloatArray());

        Tensor row = x.select(0, 2);            // [4]
        row.copyFrom(Tensor.vector(1, 2, 3, 4));
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.select(0, 2).toFloatArray());

        Tensor n = x.narrow(0, 1, 1).squeeze(0).unsqueeze(1);  // x[1] as a column [4, 1]
        n.set(42f, 3, 0);
        assertEquals(42f, x.get(1, 3));

        for (Tensor v : List.of(x.reshape(4, 3), x.view(2, 6), x.flatten(), x.unsqueeze(0), x.expand(2, 3, 4)))
            assertSame(x.storage(), v.storage(), "expected a view");
        for (Tensor piece : x.split(2, 1)) assertSame(x.storage(), piece.storage());
        for (Tensor piece : x.chunk(3, 0)) assertSame(x.storage(), piece.storage());
    }

    @Test void sliceSemantics() {
        Tensor v = Tensor.arange(10);
        assertArrayEquals(new float[] {7, 8, 9}, v.slice(0, -3, 10).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 7}, v.slice(0, 1, 9, 3).toFloatArray());
        assertArrayEquals(new float[] {0, 5}, v.slice(0, -100, 100, 5).toFloatArray(), "start/end clamp like Python");
        assertEquals(0, v.slice(0, 6, 2).numel(), "empty when end <= start");
        assertArrayEquals(new float[] {7}, v.slice(0, 1, 10, 3).slice(0, 2, 5).toFloatArray(), "slice of a stepped slice");
        Tensor u = grid().unsqueeze(1);
        assertSame(u, u.contiguous(), "size-1 dims do not break contiguity");
    }

    @Test void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = grid();
        assertSame(x, x.contiguous());
        Tensor rows = x.narrow(0, 1, 2);          // rows 1..2: offset 4, still contiguous
        assertTrue(rows.isContiguous());
        assertSame(rows, rows.contiguous());
        Tensor col = x.select(1, 0).unsqueeze(1); // [3, 1] with stride 4: size-1 dim is ignored, but rows are 4 apart
        assertFalse(col.isContiguous());
        Tensor single = x.narrow(1, 2, 1).narrow(0, 0, 1); // [1, 1]: one element, always contiguous
        assertTrue(single.isContiguous());

        Tensor t = x.t();
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertNotSame(t.storage(), c.storage());
        assertTrue(c.isContiguous());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, c.toFloatArray());
        c.set(100f, 0, 0);
        assertEquals(0f, x.get(0, 0), "the copy does not write back");

        assertFalse(x.slice(1, 0, 4, 2).isContiguous());
        assertFalse(Tensor.scalar(1f).expand(3).isContiguous());
        Tensor e = Tensor.vector(1, 2).unsqueeze(0).expand(3, 2);
        assertArrayEquals(new int[] {0, 1}, e.strides(), "expand uses stride 0");
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, e.contiguous().toFloatArray());
        // reshape of a non-contiguous tensor copies, view refuses
        assertNotSame(t.storage(), t.reshape(12).storage());
        assertThrows(IllegalArgumentException.class, () -> t.view(12));
    }

    @Test void broadcastingShapeRules() {
        assertArrayEquals(new int[] {3, 2, 4}, Shape.broadcast("t", new int[] {3, 1, 4}, new int[] {2, 1}));
        assertArrayEquals(new int[] {2, 3}, Shape.broadcast("t", new int[0], new int[] {2, 3}));
        assertArrayEquals(new int[] {5, 6}, Shape.broadcast("t", new int[] {5, 1}, new int[] {1, 6}));
        assertArrayEquals(new int[] {2, 0}, Shape.broadcast("t", new int[] {2, 1}, new int[] {0}));
        assertArrayEquals(new int[] {7, 2, 3}, Shape.broadcast("t", new int[] {7, 1, 1}, new int[] {2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast("add", new int[] {2, 3}, new int[] {4}));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());

        // the ops follow the same rule, with values broadcast along stride-0 dims
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3, 1), b = Tensor.vector(10, 20);
        Tensor sum = a.add(b);
        assertArrayEquals(new int[] {3, 2}, sum.shape());
        assertArrayEquals(new float[] {11, 21, 12, 22, 13, 23}, sum.toFloatArray());
        assertArrayEquals(new float[] {5}, Tensor.scalar(2f).add(Tensor.vector(3)).toFloatArray());
        assertArrayEquals(new int[] {2, 3, 4}, Tensor.zeros(3, 1).mul(Tensor.zeros(2, 1, 4)).shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 1).add(Tensor.zeros(0)).shape());
        // where and maskedFill broadcast too
        assertArrayEquals(new float[] {1, 0, 1, 0}, Tensor.where(Tensor.vector(1, 0), Tensor.ones(2, 2), Tensor.zeros(1)).toFloatArray());
    }

    @Test void inPlaceHelpersAndLowLevelLayout() {
        Tensor x = Tensor.zeros(2, 3);
        x.copyFrom(Tensor.vector(1, 2, 3));                     // broadcast [3] -> [2, 3]
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, x.toFloatArray());
        x.t().slice(0, 1, 3).fill(9f);                          // columns 1..2 through a transposed view
        assertArrayEquals(new float[] {1, 9, 9, 1, 9, 9}, x.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> x.copyFrom(Tensor.zeros(4)));

        float[] buf = {0, 1, 2, 3, 4, 5, 6};
        Tensor w = Tensor.wrap(buf, new int[] {3, 2}, new int[] {2, 1}, 1);   // rows [1,2], [3,4], [5,6]
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.toFloatArray());
        assertArrayEquals(new float[] {5, 3, 1}, Tensor.wrap(buf, new int[] {3}, new int[] {-2}, 5).toFloatArray(), "negative stride");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(buf, new int[] {3, 2}, new int[] {2, 1}, 2));
        assertTrue(e.getMessage().contains("outside storage"), e.getMessage());

        assertTrue(Tensor.vector(1f, 2f).allClose(Tensor.vector(1f, 2.000001f), 1e-5f, 0f));
        assertFalse(Tensor.vector(1f, 2f).allClose(Tensor.vector(1f, 2.1f), 1e-5f, 1e-3f));
        assertFalse(Tensor.vector(1f, 2f).allClose(Tensor.of(new float[] {1, 2}, 2, 1), 1f, 1f), "shapes differ");
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> p.setGrad(Tensor.zeros(3)));
        p.setGrad(Tensor.ones(2));
        assertArrayEquals(new float[] {1, 1}, p.grad().toFloatArray());
    }

    @Test void gradientsThroughViewsLandOnTheBase() {
        Tensor x = Tensor.arange(6).reshape(2, 3).detach().requiresGrad(true);
        // uses x[0, 1:3] twice and x[:, 0] once
        Tensor y = x.select(0, 0).slice(0, 1, 3).mul(2f).sum().add(x.select(1, 0).sum()).add(x.t().select(0, 2).sum());
        y.backward();
        assertArrayEquals(new float[] {1, 2, 3, 1, 0, 1}, x.grad().toFloatArray());
    }
}
