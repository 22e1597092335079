package dev.weft.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesValuesInOrder() throws Exception {
        Object v = Json.parse(" {\"b\":[1,-2.5e3,true,false,null],\"a\":\"x\\u00e9\\ud83d\\ude00\\n\\\"\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        List<?> b = (List<?>) m.get("b");
        assertEquals(new Json.Num("1"), b.get(0));
        assertEquals(new Json.Num("-2.5e3"), b.get(1));
        assertEquals(Boolean.TRUE, b.get(2));
        assertEquals(Json.NULL, b.get(4));
        assertEquals("x\u00e9\uD83D\uDE00\n\"", m.get("a"));
        assertEquals(24, new Json.Num("24").asNonNegativeLong());
        assertEquals(-1, new Json.Num("-1").asNonNegativeLong());
        assertEquals(-1, new Json.Num("1e2").asNonNegativeLong());
        assertEquals(-1, new Json.Num("9999999999999999999").asNonNegativeLong());
    }

    @Test
    void rejectsMalformedInput() {
        for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1,]", "{\"a\":1,\"a\":2}", "01", "1.", "-", "\"\\x\"",
                "\"\\ud800\"", "\"a\nb\"", "tru", "{} {}", "{\"a\" 1}", "[1 2]", "\"abc"}) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void quotesStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\u00e9\"", Json.quote(new StringBuilder(), "a\"b\\c\n\u0001\u00e9").toString());
    }
}
