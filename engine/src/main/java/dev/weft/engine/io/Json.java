package dev.weft.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON reader and string writer (RFC 8259), enough for safetensors headers.
 *
 * <p>Parsed values are: {@link Map} (a {@link LinkedHashMap} in document order) for objects,
 * {@link List} for arrays, {@link String}, {@link Num} for numbers (kept as their source text so
 * large integers lose nothing), {@link Boolean}, and {@link #NULL} for {@code null}. The reader
 * rejects duplicate keys, trailing commas, control characters inside strings, lone surrogates in
 * {@code \\u} escapes, nesting deeper than {@link #MAX_DEPTH}, and anything after the value other
 * than whitespace. Every problem is reported as a {@link JsonException} with its character offset.
 */
final class Json {
    /** Deepest nesting of arrays and objects accepted (protects the stack against hostile input). */
    static final int MAX_DEPTH = 64;

    /** The JSON {@code null} value (maps may not hold Java null without ambiguity). */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** A JSON number, kept as its exact source text. */
    record Num(String text) {
        /**
         * This number as a non-negative {@code long}, or -1 if it is not a plain non-negative
         * integer (a fraction, an exponent, a minus sign) or does not fit in a long.
         */
        long asNonNegativeLong() {
            if (text.isEmpty() || text.length() > 18) return -1;  // 18 digits always fit in a long
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') return -1;
            }
            return Long.parseLong(text);
        }

        @Override public String toString() { return text; }
    }

    /** A syntax error, with the character offset where it was found. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;
        JsonException(String message, int offset) { super(message + " at character " + offset); }
    }

    private final String s;
    private int pos;

    private Json(String s) { this.s = s; }

    /** Parses one JSON value filling the whole text (surrounding whitespace allowed). */
    static Object parse(String text) throws JsonException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw new JsonException("unexpected text after the JSON value", p.pos);
        return v;
    }

    private Object value(int depth) throws JsonException {
        if (pos >= s.length()) throw new JsonException("unexpected end of JSON", pos);
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': literal("true"); return Boolean.TRUE;
            case 'f': literal("false"); return Boolean.FALSE;
            case 'n': literal("null"); return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw new JsonException("unexpected character '" + printable(c) + "'", pos);
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        if (depth > MAX_DEPTH) throw new JsonException("nesting deeper than " + MAX_DEPTH, pos);
        int start = pos;
        pos++;  // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw new JsonException("expected a string key in the object opened at " + start, pos);
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) throw new JsonException("duplicate key \"" + key + "\"", keyPos);
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == '}') { pos++; return map; }
            throw new JsonException("expected ',' or '}' in the object opened at " + start, pos);
        }
    }

    private List<Object> array(int depth) throws JsonException {
        if (depth > MAX_DEPTH) throw new JsonException("nesting deeper than " + MAX_DEPTH, pos);
        int start = pos;
        pos++;  // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') { pos++; return list; }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') { pos++; continue; }
            if (c == ']') { pos++; return list; }
            throw new JsonException("expected ',' or ']' in the array opened at " + start, pos);
        }
    }

    private String string() throws JsonException {
        int start = pos;
        pos++;  // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw new JsonException("unterminated string", start);
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw new JsonException("control character in string", pos - 1);
            if (c != '\\') { sb.append(c); continue; }
            if (pos >= s.length()) throw new JsonException("unterminated string", start);
            char e = s.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) throw new JsonException("invalid surrogate pair", pos - 6);
                            sb.append(u).append(low);
                        } else {
                            throw new JsonException("lone high surrogate", pos - 6);
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        throw new JsonException("lone low surrogate", pos - 6);
                    } else {
                        sb.append(u);
                    }
                    break;
                }
                default: throw new JsonException("invalid escape '\\" + printable(e) + "'", pos - 2);
            }
        }
    }

    private char hex4() throws JsonException {
        if (pos + 4 > s.length()) throw new JsonException("truncated \\u escape", pos);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) throw new JsonException("invalid hex digit in \\u escape", pos + i);
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Num number() throws JsonException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw new JsonException("invalid number", start);
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) throw new JsonException("invalid number: digit expected after '.'", pos);
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw new JsonException("invalid number: digit expected in exponent", pos);
            while (isDigit(peek())) pos++;
        }
        return new Num(s.substring(start, pos));
    }

    private void literal(String word) throws JsonException {
        if (!s.startsWith(word, pos)) throw new JsonException("invalid literal, expected " + word, pos);
        pos += word.length();
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) throw new JsonException("expected '" + c + "'", pos);
        pos++;
    }

    /** The current character, or 0 at the end (0 is never valid where it is tested). */
    private char peek() { return pos < s.length() ? s.charAt(pos) : 0; }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    // ---------------------------------------------------------------- writing

    /** Appends {@code value} as a quoted JSON string; non-ASCII characters are written as they are. */
    static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        return out.append('"');
    }
}
