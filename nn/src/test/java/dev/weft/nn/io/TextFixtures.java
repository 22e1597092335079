package dev.weft.nn.io;

import dev.weft.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the text fixtures written by {@code nn/src/test/python/gen_optim_fixtures.py}: one tensor per
 * line, {@code <name> <shape: comma-separated ints or '-'> <float32 values...>}.
 */
public final class TextFixtures {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final String resource;

    private TextFixtures(String resource) { this.resource = resource; }

    /** Loads a classpath resource such as {@code /fixtures/losses/losses.txt}. */
    public static TextFixtures load(String resource) {
        TextFixtures f = new TextFixtures(resource);
        try (InputStream in = TextFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("fixture " + resource + " not on the classpath; run gen_optim_fixtures.py");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(" ");
                int[] shape;
                if (parts[1].equals("-")) shape = new int[0];
                else {
                    String[] dims = parts[1].split(",");
                    shape = new int[dims.length];
                    for (int i = 0; i < dims.length; i++) shape[i] = Integer.parseInt(dims[i]);
                }
                float[] v = new float[parts.length - 2];
                for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i + 2]);
                f.tensors.put(parts[0], Tensor.of(v, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** The tensor stored under {@code name} (a fresh copy each call). */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("fixture " + resource + " has no tensor '" + name + "'");
        return Tensor.of(t.toFloatArray(), t.shape());
    }

    /** True when {@code name} is present. */
    public boolean has(String name) { return tensors.containsKey(name); }

    /** A stored scalar. */
    public float scalar(String name) { return get(name).item(); }
}
