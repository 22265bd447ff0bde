package io.stoker.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;

import java.util.regex.Pattern;

/**
 * Says what is wrong with a JSON text in the reader's words: the parser's own sentence and the line and column,
 * without the parser's internals (its {@code [Source: REDACTED (`StreamReadFeature…` disabled)…]} and the names of
 * its settings in backquotes, and its advice to enable a setting). The sentences a Jobfile's JSON errors have in
 * plain words (comments, NaN, a control character in a string …) come from the DSL's {@code JsonSyntax}.
 */
public final class JsonSyntax {
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern SETTING = Pattern.compile(",? from `[^`]*`");
    /** Advice to switch on a non-standard reading ("enable `JsonReadFeature.ALLOW_…` to allow"): the API never does. */
    private static final Pattern ENABLE = Pattern.compile(":? ?enable `[^`]*` to allow");
    private static final Pattern QUOTED_INTERNAL = Pattern.compile("`[A-Za-z0-9_.$]+(\\(\\))?`");

    private JsonSyntax() {
    }

    /** What is wrong, e.g. {@code Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1), at line 1, column 2}. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) return describe(j);
        }
        return "it cannot be parsed";
    }

    private static String describe(JacksonException j) {
        String text = String.valueOf(j.getOriginalMessage()).replaceAll("(?s)\\n.*", "");
        // what a Jobfile's JSON errors say in plain words ("'not' is not a JSON value: write text in double quotes")
        // (given as the parser wrote it: a bracket never closed is told by where it was opened, from its source part)
        text = io.stoker.dsl.yaml.JsonSyntax.plainWords(text, io.stoker.dsl.yaml.JsonSyntax.Whole.BODY).orElse(text);
        text = SOURCE.matcher(text).replaceAll("line $1, column $2");
        text = SETTING.matcher(text).replaceAll("");
        text = ENABLE.matcher(text).replaceAll("");
        // any other name of the parser's own in backquotes: its last part only (`java.lang.Integer` → Integer)
        text = QUOTED_INTERNAL.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group().replace("`", "").replaceAll(".*\\.(?=[^.]+$)", "")));
        JsonLocation at = j.getLocation();
        if (at != null && at.getLineNr() > 0) text += ", at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return text;
    }
}
