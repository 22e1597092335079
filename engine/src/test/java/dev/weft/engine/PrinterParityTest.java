package dev.weft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Tensor#toString()} against torch's {@code str()} of the same tensors (fixture
 * {@code fixtures/ops/print.txt}).
 */
class PrinterParityTest {
    @TestFactory Stream<DynamicTest> printsLikeTorch() {
        List<String> lines = Fixtures.lines("print.txt");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] tok = lines.get(i).split(" ", -1);
            assertEquals("print", tok[0], "print.txt line " + i);
            String name = tok[1];
            boolean requiresGrad = tok[2].equals("1");
            Tensor t = Fixtures.tensor(tok, 3).requiresGrad(requiresGrad);
            String expect = lines.get(i + 1).substring("expect ".length()).replace("\\n", "\n").replace("\\\\", "\\");
            tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(expect, t.toString(), name)));
        }
        assertTrue(tests.size() >= 20);
        return tests.stream();
    }

    /** Where Weft deliberately prints differently from torch (expected strings derived by hand). */
    @Test void documentedDifferences() {
        // grad_fn: Weft names its op ("mul"); torch names its C++ node class (grad_fn=<MulBackward0>).
        Tensor x = Tensor.vector(1f, 2f).requiresGrad(true);
        assertEquals("tensor([2., 4.], grad_fn=<mulBackward>)", x.mul(2f).toString());
        // IntTensor: torch would print dtype=torch.int32; widths and wrapping follow torch's int formatter.
        assertEquals("tensor([  1, -20,   3], dtype=int32)", IntTensor.vector(1, -20, 3).toString());
        assertEquals("tensor([], size=(0, 2), dtype=int32)", IntTensor.zeros(0, 2).toString());
    }
}
