package io.stoker.dsl.yaml;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML parser's common syntax errors in plain words: indentation that does not match, a ':' inside a plain
 * value, a tab, a quote or bracket never closed, text in { } or [ ] that needs quotes. What it does not know keeps
 * the parser's sentence, after "syntax error:".
 */
final class YamlSyntax {
    private static final Pattern IN_FLOW = Pattern.compile("expected ',' or '([}\\]])', but got .*");
    private static final Pattern KEY = Pattern.compile("\\s*(?:- )?([^:#'\"]+?):(?: .*)?");
    private static final Pattern KEY_VALUE = Pattern.compile("\\s*(?:- )?([^:#'\"]+?): (.*)");
    /** A line's first word followed by ':' as a key is: an identifier-like word, not text such as {@code echo "a}. */
    private static final Pattern WORD_KEY = Pattern.compile(" *(?:- )?[A-Za-z_][A-Za-z0-9_.-]*(?=:)");
    private static final Pattern CANNOT_START = Pattern.compile("found character '(.)' that cannot start any token.*");

    private final String file;
    private final String[] lines;

    YamlSyntax(String file, String[] lines) {
        this.file = file;
        this.lines = lines;
    }

    Diagnostic describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark();
        Pos at = new Pos(mark.getLine() + 1, mark.getColumn() + 1);
        String problem = e.getProblem() == null ? "" : e.getProblem().strip().lines().findFirst().orElse("");
        String context = e.getContext() == null ? "" : e.getContext();
        if (problem.contains("\\t") || problem.contains("\t") || problem.contains("tab character")) {
            return error(at, "a tab: YAML indents with spaces only");
        }
        if (problem.startsWith("found unexpected end of stream") && context.contains("quoted scalar")
                && e.getContextMark() != null) {
            Mark opened = e.getContextMark();
            return error(new Pos(opened.getLine() + 1, opened.getColumn() + 1), "the quote opened here is never closed");
        }
        if (problem.contains("'<stream end>'") && context.contains("flow")) {
            return error(at, "the file ends inside [ ] or { }: a bracket is never closed");
        }
        if (problem.startsWith("expected <block end>") || problem.startsWith("did not find expected key")
                || problem.startsWith("did not find expected '-' indicator")) {
            Diagnostic quote = textAfterQuote(at);
            if (quote != null) return quote;
            return error(at, "the indentation does not match the lines above" + indentation(at.line()));
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            Pos key = overIndentedKey(at);
            if (key != null) {
                return error(key, "the indentation does not match the lines above" + indentation(key.line()));
            }
            Matcher m = KEY_VALUE.matcher(line(at.line()));
            String example = m.matches() ? " (" + m.group(1).strip() + ": '" + m.group(2).strip().replace("'", "''") + "')" : "";
            return error(at, "a ':' where a value was expected — quote a value that holds ': '" + example);
        }
        Matcher flow = IN_FLOW.matcher(problem);
        if (flow.matches()) {
            String brackets = flow.group(1).equals("}") ? "{ }" : "[ ]";
            String word = wordAt(at);
            return error(at, "inside " + brackets + " a ',' or '" + flow.group(1) + "' was expected here: quote text that"
                    + " holds '?', ':', ',' or '#'" + (word.isEmpty() ? "" : " ('" + word + "')"));
        }
        if (problem.startsWith("could not find expected ':'")) {
            return error(at, "a ':' is missing after a key (a line that is neither key: value nor - item?)");
        }
        Matcher start = CANNOT_START.matcher(problem);
        if (start.matches()) {
            return error(at, "'" + start.group(1) + "' cannot start a value in YAML: quote the value");
        }
        return error(at, "syntax error: " + problem + (context.isEmpty() ? "" : " (" + context + ")"));
    }

    /**
     * {@code sh: 'echo it's fine'}: the quoted value ends at the quote inside it and the parser finds more text where
     * a key should be, which is no indentation problem: told at the quote that ended the value, with the value
     * written so the quote stays inside. Null when the mark does not follow a closing quote of the line's value.
     */
    private Diagnostic textAfterQuote(Pos at) {
        String text = line(at.line());
        int before = Math.min(at.col() - 2, text.length() - 1);
        while (before > 0 && text.charAt(before) == ' ') before--;
        if (before <= indent(text) || (text.charAt(before) != '\'' && text.charAt(before) != '"')) return null;
        char q = text.charAt(before);
        Matcher m = KEY_VALUE.matcher(text);
        String value = m.matches() ? m.group(2).strip() : "";
        if (value.length() < 2 || value.charAt(0) != q || value.charAt(value.length() - 1) != q) return null;
        String inner = value.substring(1, value.length() - 1);
        String fixed = q == '\'' ? "'" + inner.replace("'", "''") + "'" : "\"" + inner.replace("\"", "\\\"") + "\"";
        return error(new Pos(at.line(), before + 1), "the value quoted with " + q + " ends at this " + q
                + " and text follows it: a " + q + " inside it is written " + (q == '\'' ? "''" : "\\\"")
                + " (" + m.group(1).strip() + ": " + fixed + ")");
    }

    /**
     * Where a line that reads {@code key: value} starts, when the ':' at fault ends its first word and it is indented
     * deeper than the line above: YAML took it for more of that line's value, so it is a key indented too far (the
     * advice to quote it would turn the key into script text); null otherwise.
     */
    private Pos overIndentedKey(Pos colon) {
        String text = line(colon.line());
        Matcher m = WORD_KEY.matcher(text);
        if (!m.lookingAt() || m.end() != colon.col() - 1) return null;
        int above = colon.line() - 1;
        while (above >= 1 && (line(above).isBlank() || line(above).strip().startsWith("#"))) above--;
        if (above < 1 || indent(text) <= indent(line(above))) return null;
        return new Pos(colon.line(), indent(text) + 1);
    }

    /** How the line at fault and the one above it are indented, when they differ. */
    private String indentation(int line) {
        int above = line - 1;
        while (above >= 1 && (line(above).isBlank() || line(above).strip().startsWith("#"))) above--;
        if (above < 1 || line > lines.length) return "";
        int here = indent(line(line));
        int there = indent(line(above));
        if (here == there) return "";
        Matcher key = KEY.matcher(line(above));
        String what = key.matches() ? key.group(1).strip() : line(above).strip();
        if (what.length() > 30) what = what.substring(0, 30) + "…";
        return (here > there ? " (a key indented more than its siblings?)" : "") + ": line " + line + " is indented by "
                + here + " spaces, '" + what + "' on line " + above + " by " + there;
    }

    /** The unquoted word the mark falls in, within { } or [ ]. */
    private String wordAt(Pos at) {
        String text = line(at.line());
        int end = Math.min(at.col() - 1, text.length() - 1);
        if (end < 0) return "";
        int begin = end;
        while (begin > 0 && ",{[ ".indexOf(text.charAt(begin - 1)) < 0) begin--;
        int stop = end;
        while (stop < text.length() && ",}]".indexOf(text.charAt(stop)) < 0) stop++;
        return text.substring(begin, stop).strip();
    }

    private String line(int n) {
        return n >= 1 && n <= lines.length ? lines[n - 1] : "";
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') n++;
        return n;
    }

    private Diagnostic error(Pos at, String message) {
        return Diagnostic.error(file, at, message);
    }
}
