package dev.weft.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

final class TestUtil {
    private TestUtil() {}

    static byte[] sample(String path) throws IOException {
        try (InputStream in = Samples.open(path)) { return in.readAllBytes(); }
    }

    static String hash(String algo, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(b));
        } catch (NoSuchAlgorithmException e) { throw new AssertionError(e); }
    }

    static String sha256(byte[] b) { return hash("SHA-256", b); }

    static byte[] gunzip(byte[] b) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) { return in.readAllBytes(); }
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bo)) { out.write(b); }
        return bo.toByteArray();
    }
}
