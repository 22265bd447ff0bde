package io.stoker.cli.run;

import io.stoker.cli.CliException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code -p KEY=VALUE} options; a key given twice keeps the last value. */
public final class KeyValues {
    private KeyValues() {
    }

    public static Map<String, String> parse(List<String> pairs, String option) {
        Map<String, String> values = new LinkedHashMap<>();
        if (pairs == null) return values;
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw CliException.usage(option + " expects KEY=VALUE, got '" + pair + "'");
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }
}
