package dev.weft.zoo.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {
    @TempDir Path dir;

    @Test
    void headerFromSortedKeysThenOneRowPerEpoch() throws IOException {
        Path file = dir.resolve("logs/training.csv");
        try (CsvWriter csv = new CsvWriter(file)) {
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("val_loss", 0.5);
            m.put("loss", 0.25f);
            m.put("accuracy", 1);
            csv.log(0, m);
            assertEquals("epoch,accuracy,loss,val_loss\n0,1,0.25,0.5\n", Files.readString(file), "flushed per row");
            csv.log(1, Map.of("loss", 0.125f, "extra", 9));  // missing -> NA, unknown key ignored (as Keras)
            assertEquals(List.of("accuracy", "loss", "val_loss"), csv.columns());
        }
        assertEquals("epoch,accuracy,loss,val_loss\n0,1,0.25,0.5\n1,NA,0.125,NA\n", Files.readString(file));
    }

    @Test
    void appendKeepsTheExistingHeaderAndOverwriteReplaces() throws IOException {
        Path file = dir.resolve("training.csv");
        try (CsvWriter csv = new CsvWriter(file, false, List.of("loss", "acc"))) {
            assertEquals("epoch,loss,acc\n", Files.readString(file));
            csv.log(0, Map.of("loss", 2.0, "acc", 0.5));
        }
        try (CsvWriter csv = new CsvWriter(file, true, null)) {
            assertEquals(List.of("loss", "acc"), csv.columns());
            csv.log(1, Map.of("acc", 0.75, "loss", 1.0));
        }
        assertEquals("epoch,loss,acc\n0,2.0,0.5\n1,1.0,0.75\n", Files.readString(file));
        assertThrows(IOException.class, () -> new CsvWriter(file, true, List.of("other")));
        try (CsvWriter csv = new CsvWriter(file)) {
            csv.log(0, Map.of("x", Double.NaN));
        }
        assertEquals("epoch,x\n0,NaN\n", Files.readString(file));
        // append to a missing file writes a header
        Path fresh = dir.resolve("fresh.csv");
        try (CsvWriter csv = new CsvWriter(fresh, true, null)) {
            csv.log(3, Map.of("loss", 1L));
        }
        assertEquals("epoch,loss\n3,1\n", Files.readString(fresh));
    }

    @Test
    void quotesAwkwardColumnNames() throws IOException {
        Path file = dir.resolve("q.csv");
        try (CsvWriter csv = new CsvWriter(file)) {
            csv.log(0, Map.of("top,k \"5\"", 0.5));
        }
        assertEquals("epoch,\"top,k \"\"5\"\"\"\n0,0.5\n", Files.readString(file));
        assertEquals(List.of("top,k \"5\""), CsvWriter.parseHeader("epoch,\"top,k \"\"5\"\"\""));
    }
}
