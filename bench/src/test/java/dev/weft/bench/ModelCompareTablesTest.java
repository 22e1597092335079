package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison's tables: one line per run with --repeat, and the summary of the runs' ratios. */
class ModelCompareTablesTest {
    // A worker's answer: `batch` samples per step, every step taking `seconds`.
    private static Map<String, Object> worker(double batch, double... seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", batch);
        List<Object> times = new ArrayList<>();
        for (double s : seconds) times.add(s);
        m.put("wall_s", times);
        return m;
    }

    private static Map<String, Object> row(String model, int threads, String phase, Integer run, Map<String, Object> weft, Map<String, Object> torch) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("threads", (double) threads);   // numbers come back from JSON as doubles
        r.put("phase", phase);
        if (run != null) r.put("run", (double) run);
        r.put("weft", weft);
        r.put("torch", torch);
        return r;
    }

    @Test
    void repeatTableGivesTheMedianRatioOfTheRunsWithItsSpread() {
        List<Map<String, Object>> rows = List.of(
                // run ratios 2, 1, 4 (median of each run's steps: 100 / 50, 100 / 100, 200 / 50 samples/s)
                row("vae", 1, "train", 1, worker(10, 0.1, 0.1, 0.3), worker(10, 0.2, 0.2, 0.1)),
                row("vae", 1, "train", 2, worker(10, 0.1, 0.1, 0.1), worker(10, 0.1, 0.1, 0.1)),
                row("vae", 1, "train", 3, worker(10, 0.05, 0.05, 0.05), worker(10, 0.2, 0.2, 0.2)),
                row("vae", 1, "infer", 1, worker(10, 0.1), Map.of("error", "torch failed")),
                row("vae", 1, "infer", 2, worker(10, 0.1), null));
        String table = ModelCompare.Driver.repeatTable(rows, "wall");
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertEquals("| vae | 1 | train | 3 | 2.00× (1.00×–4.00×) | 100 (100–200) | 50.0 (50.0–100) |", lines[2]);
        // a side that failed or did not run gives no ratio, and its samples/s are left out
        assertEquals("| vae | 1 | infer | 2 | – | 100 (100–100) | – |", lines[3]);
    }

    @Test
    void oneRunPerRowNeedsNoRepeatTableAndKeepsTheOldTable() {
        // rows written before --repeat existed have no "run": they read as run 1
        List<Map<String, Object>> rows = List.of(
                row("lstm", 2, "train", null, worker(64, 0.5), worker(64, 1.0)),
                row("lstm", 2, "infer", null, worker(64, 0.1), worker(64, 0.1)));
        assertEquals("", ModelCompare.Driver.repeatTable(rows, "wall"));
        String table = ModelCompare.Driver.table(rows, "wall");
        assertTrue(table.contains("| lstm | 2 | 128 | 64.0 | 2.00× |"), table);
        assertTrue(!table.contains("(run"), table);
    }

    @Test
    void theMainTableGetsALinePerRun() {
        List<Map<String, Object>> rows = List.of(
                row("vae", 2, "train", 1, worker(10, 0.1), worker(10, 0.1)),
                row("vae", 2, "train", 2, worker(10, 0.1), worker(10, 0.2)));
        String table = ModelCompare.Driver.table(rows, "wall");
        assertTrue(table.contains("| vae | 2 (run 1) | 100 | 100 | 1.00× |"), table);
        assertTrue(table.contains("| vae | 2 (run 2) | 100 | 50.0 | 2.00× |"), table);
    }
}
