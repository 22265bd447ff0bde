package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.codehaus.groovy.control.ErrorCollector;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the compiler's error messages into diagnostics in the author's terms, one per distinct problem. */
public final class CompileErrors {

    private CompileErrors() {
    }

    /** @param source the Jobfile's text, to tell whether a statement comes before an error on its line */
    public static List<Diagnostic> toDiagnostics(String file, String source, ErrorCollector errors) {
        Set<Diagnostic> out = new LinkedHashSet<>();
        List<String> lines = source.lines().toList();
        if (errors.getErrors() != null) {
            for (Message message : errors.getErrors()) {
                out.add(notTwoStatements(lines, toDiagnostic(file, message), message));
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * A call on a value of unknown kind is most often the second statement of a line read as a chain
     * ({@code sh 'a' sh 'b'}); where nothing but an opening bracket, '=' or ',' comes before it on its line
     * ({@code f = { f() }}), there is no first statement, and the call is told as what it is.
     */
    private static Diagnostic notTwoStatements(List<String> lines, Diagnostic d, Message message) {
        if (!d.message().equals(SandboxTypeCheck.TWO_STATEMENTS) || !(message instanceof SyntaxErrorMessage syntax)
                || d.line() < 1 || d.line() > lines.size()) {
            return d;
        }
        String line = lines.get(d.line() - 1);
        String before = line.substring(0, Math.min(Math.max(d.col() - 1, 0), line.length())).strip();
        if (!before.isEmpty() && "{([=,;".indexOf(before.charAt(before.length() - 1)) < 0) {
            return d;
        }
        String plain = inDslWords(firstLine(syntax.getCause().getOriginalMessage())
                .replace("[Static type checking] - ", "").strip(), false);
        return plain.equals(SandboxTypeCheck.TWO_STATEMENTS) ? d : Diagnostic.error(d.file(), new Pos(d.line(), d.col()), plain);
    }

    /**
     * Groovy reports a missing '}' as unexpected input at the end of the file; when a bracket is indeed left open,
     * that syntax error is replaced by one at the bracket: "'{' opened at 2:13 is never closed".
     */
    public static List<Diagnostic> withUnclosedBracket(String file, String source, List<Diagnostic> found) {
        boolean syntax = found.stream().anyMatch(d -> d.message().startsWith("unexpected text here"));
        if (!syntax) return found;
        var unclosed = NestingCheck.unclosed(source);
        if (unclosed.isEmpty()) return found;
        Pos at = unclosed.get().at();
        List<Diagnostic> out = new ArrayList<>();
        out.add(Diagnostic.error(file, at, "'" + unclosed.get().bracket() + "' opened at " + at.line() + ":" + at.col()
                + " is never closed"));
        found.stream().filter(d -> !d.message().startsWith("unexpected text here")).forEach(out::add);
        return out;
    }

    /** A line that starts as a YAML key does: {@code if: …}, {@code runs-on: …}, {@code - run: …}. */
    private static final Pattern YAML_KEY = Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][\\w-]*)\\s*:(?!:)");

    /**
     * A syntax error on a line written as a YAML key ({@code if: "…"}, {@code runs-on: ubuntu}) is told as that,
     * at the key, rather than as unexpected text.
     */
    public static List<Diagnostic> withYamlKeys(String source, List<Diagnostic> found) {
        List<String> lines = source.lines().toList();
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : found) {
            String line = d.message().startsWith("unexpected text here") && d.line() >= 1 && d.line() <= lines.size()
                    ? lines.get(d.line() - 1) : "";
            Matcher key = YAML_KEY.matcher(line);
            if (key.find() && d.col() > key.start(1)) {
                out.add(Diagnostic.error(d.file(), new Pos(d.line(), key.start(1) + 1), YamlLabel.syntax(key.group(1))));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static final String UNCLOSED = "the string opened here with ";

    /**
     * The lexer points at the last quote of an unclosed {@code '''} or {@code """}: the diagnostic moves to the first
     * and names the three quotes.
     */
    public static List<Diagnostic> withTripleQuotes(String source, List<Diagnostic> found) {
        List<String> lines = source.lines().toList();
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : found) {
            int col = d.col() - 1;
            String line = d.message().startsWith(UNCLOSED) && d.line() >= 1 && d.line() <= lines.size()
                    ? lines.get(d.line() - 1) : "";
            if (col >= 2 && col < line.length() && line.charAt(col - 1) == line.charAt(col)
                    && line.charAt(col - 2) == line.charAt(col)) {
                String q = String.valueOf(line.charAt(col)).repeat(3);
                out.add(Diagnostic.error(d.file(), new Pos(d.line(), d.col() - 2), UNCLOSED + q
                        + " is never closed: end it with " + q));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * The JVM's limit on one method's bytecode, reached by a block of thousands of statements; the front end moves
     * it to the largest job and names it ({@link #tooLarge}).
     */
    public static final String TOO_LARGE = "the Jobfile is too large to compile: split its largest job into several jobs";

    /** {@link #TOO_LARGE} said of one job, at its line. */
    public static Diagnostic tooLarge(String file, JobSizeCheck.Job job) {
        return Diagnostic.error(file, job.at(), "job '" + job.name() + "' is too large to compile: split it into several jobs");
    }

    /** Said where Groovy read a {@code $} of shell text in a double-quoted string as the start of an expression. */
    public static final String DOLLAR = "inside \"double quotes\" Groovy reads $ as the start of a Groovy expression:"
            + " write shell text in 'single quotes' (sh 'echo $HOME'), or escape it as \\$";
    private static final String UNEXPECTED_CHARACTER = "unexpected character here: ";

    /**
     * The lexer stops at the character after a {@code $} it cannot read as a Groovy expression ({@code "$(date)"},
     * {@code "$1"}, {@code "$.x"}): that only happens inside a double-quoted string, and the author meant shell
     * text. The diagnostic moves to the {@code $} and says so.
     */
    public static List<Diagnostic> withDollarHints(String source, List<Diagnostic> found) {
        List<String> lines = source.lines().toList();
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : found) {
            String line = d.message().startsWith(UNEXPECTED_CHARACTER) && d.line() >= 1 && d.line() <= lines.size()
                    ? lines.get(d.line() - 1) : "";
            int dollar = d.col() - 2;
            if (dollar >= 0 && dollar < line.length() && line.charAt(dollar) == '$') {
                out.add(Diagnostic.error(d.file(), new Pos(d.line(), d.col() - 1), DOLLAR));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * Errors inside a {@code ${ … }} of a double-quoted string ({@code "echo ${#P}"}, {@code "${P:-x}"}): the author
     * wrote shell text Groovy read as an expression, and its errors (an unexpected '#', two statements, unknown names)
     * say nothing of that. The errors of one such place become one, at its {@code $}, saying so; a place already told
     * so (an unknown name with the hint) is kept as it is.
     */
    public static List<Diagnostic> withExpansionHints(String source, List<Diagnostic> found) {
        List<DoubleQuotedDollars.Span> spans = DoubleQuotedDollars.in(source);
        if (spans.isEmpty()) return found;
        // kept as they are: a place already told so, and one with an error of another kind (the sandbox's policy)
        java.util.Set<DoubleQuotedDollars.Span> told = new java.util.HashSet<>();
        for (Diagnostic d : found) {
            if (!misread(d.message())) DoubleQuotedDollars.at(spans, d.line(), d.col()).ifPresent(told::add);
        }
        List<Diagnostic> out = new ArrayList<>();
        java.util.Set<DoubleQuotedDollars.Span> hinted = new java.util.HashSet<>();
        for (Diagnostic d : found) {
            var span = DoubleQuotedDollars.at(spans, d.line(), d.col()).filter(sp -> !told.contains(sp));
            if (span.isEmpty()) {
                out.add(d);
            } else if (hinted.add(span.get())) {
                out.add(Diagnostic.error(d.file(), new Pos(span.get().line(), span.get().startCol()), DOLLAR));
            }
        }
        return out;
    }

    /** Whether an error is one Groovy gives shell text it read as an expression. */
    private static boolean misread(String message) {
        return !message.contains(DOLLAR) && (message.startsWith("Unexpected character")
                || message.startsWith(UNEXPECTED_CHARACTER) || message.startsWith("unexpected text here")
                || message.equals(SandboxTypeCheck.TWO_STATEMENTS) || message.startsWith("unknown name '"));
    }

    static Diagnostic toDiagnostic(String file, Message message) {
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException e = syntax.getCause();
            return Diagnostic.error(file, new Pos(Math.max(e.getLine(), 1), Math.max(e.getStartColumn(), 1)),
                    clean(e.getOriginalMessage()));
        }
        if (message instanceof ExceptionMessage exception) {
            Exception cause = exception.getCause();
            if (cause.getClass().getSimpleName().equals("MethodTooLargeException")) {
                return Diagnostic.error(file, Pos.NONE, TOO_LARGE);
            }
            return Diagnostic.error(file, Pos.NONE, "the Jobfile could not be compiled: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                    + inDslWords(firstLine(cause.getMessage()))));
        }
        if (message instanceof SimpleMessage simple) {
            return Diagnostic.error(file, Pos.NONE, clean(simple.getMessage()));
        }
        return Diagnostic.error(file, Pos.NONE, "the Jobfile could not be compiled");
    }

    static String clean(String message) {
        String m = firstLine(message);
        m = m.replace("[Static type checking] - ", "").strip();
        return inDslWords(m);
    }

    private static final Pattern NO_METHOD = Pattern.compile(
            "Cannot find matching (?:static )?method ([\\w.$<>, ]+?)#([^\\s(]+)\\((.*)\\)\\..*");
    private static final Pattern NO_PROPERTY = Pattern.compile("No such property: (\\S+) for class: ([\\w.$<>, ]+)");
    private static final Pattern ASSIGN = Pattern.compile(
            "Cannot assign value of type ([\\w.$<>, ?\\[\\]]+?) to variable of type ([\\w.$<>, ?\\[\\]]+)");
    /** {@code def (a, b) = [1]}: as many names on the left as values on the right. */
    private static final Pattern VALUES = Pattern.compile("Incorrect number of values\\. Expected:(\\d+) Was:(\\d+)");
    /** A call whose argument's kind fits but whose type arguments do not ({@code Map<Object, Object>} for {@code Map<String, ?>}). */
    private static final Pattern CANNOT_CALL = Pattern.compile(
            "Cannot call ([\\w.$<>, ?\\[\\]]+?)#([^\\s(]+)\\((.*)\\) with arguments \\[(.*)\\]");
    /** Arguments (a null, usually) that fit more than one form of a method: the first form's name. */
    private static final Pattern AMBIGUOUS = Pattern.compile(
            "Reference to method is ambiguous\\. Cannot choose between \\[[^#]*#([^\\s(]+)\\(.*");
    /** The lexer's words for a character it cannot start a token with. */
    private static final Pattern TOKEN = Pattern.compile("token recognition error at: '(.*)'", Pattern.DOTALL);
    /** The lexer's word for a string whose closing quote never comes; it points at the opening quote. */
    private static final Pattern UNCLOSED_STRING = Pattern.compile("Unexpected character: '\\\\?(['\"])'");
    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected input: '(.*?)'?", Pattern.DOTALL);
    /** A qualified JVM class name ({@code java.util.LinkedHashMap}), with any type arguments it carries. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|groovy|org\\.codehaus|org\\.apache|io\\.stoker)\\.(?:[a-z_][a-z0-9_]*\\.)*"
                    + "([A-Z][\\w$]*)(?:<[^()#]*?>)?");

    /**
     * The compiler's and type checker's messages in the DSL's words: never a JVM type name. The checks of
     * {@link SandboxTypeCheck} already speak so; this covers what Groovy reports itself.
     */
    public static String inDslWords(String message) {
        return inDslWords(message, true);
    }

    /** @param chained whether a call on nothing or on a value of unknown kind is read as a second statement */
    private static String inDslWords(String message, boolean chained) {
        Matcher m = NO_METHOD.matcher(message);
        if (m.matches()) {
            String receiver = simple(m.group(1));
            if (m.group(2).equals("call") && receiver.equals("Object")) {
                // def f; f = { … f(n - 1) }: inside its own body the closure's variable is of no known kind
                return "a closure cannot call itself in a Jobfile ('call' on a value of unknown kind): write a loop instead";
            }
            if (chained && (receiver.equals("Void") || receiver.equals("Object"))) return SandboxTypeCheck.TWO_STATEMENTS;
            return "'" + m.group(2) + "' cannot be called on " + kind(receiver) + " with ("
                    + kinds(m.group(3)) + ")";
        }
        m = CANNOT_CALL.matcher(message);
        if (m.matches()) {
            String takes = kinds(m.group(3));
            String given = kinds(m.group(4));
            return "wrong arguments for '" + m.group(2) + "': " + (takes.equals(given)
                    ? "it takes (" + takes + ") with text names, and the names of this one were built so the checker"
                        + " cannot know them to be text: write it in place (" + m.group(2) + " name: value, …)"
                    : "it takes (" + takes + "), not (" + given + ")");
        }
        m = AMBIGUOUS.matcher(message);
        if (m.matches()) {
            return "wrong arguments for '" + m.group(1) + "': more than one of its forms fits them (is one of them null?)";
        }
        m = NO_PROPERTY.matcher(message);
        if (m.matches()) {
            String owner = simple(m.group(2));
            if (owner.equals("Void")) return SandboxTypeCheck.TWO_STATEMENTS;
            return "'" + m.group(1) + "' cannot be read from " + kind(owner);
        }
        m = VALUES.matcher(message);
        if (m.matches()) {
            return m.group(1) + " names are declared here but the list assigned to them holds "
                    + io.stoker.model.Plural.of(Long.parseLong(m.group(2)), "value") + ": give as many values as names";
        }
        m = ASSIGN.matcher(message);
        if (m.matches()) {
            String value = kind(simple(m.group(1)));
            String variable = simple(m.group(2));
            boolean wholeNumber = Set.of("int", "long", "short", "byte", "Integer", "Long").contains(variable);
            return value + " cannot be stored in a variable declared " + variable + ": write def instead of "
                    + variable + " (def name = …)" + (wholeNumber && value.equals("a decimal number")
                    ? ", or divide whole numbers with a.intdiv(b)" : "");
        }
        m = UNCLOSED_STRING.matcher(message);
        if (m.matches()) {
            String q = m.group(1);
            return UNCLOSED + q + " is never closed: end it with " + q + " on the same line"
                    + " (for text over several lines write " + q.repeat(3) + " … " + q.repeat(3) + ")";
        }
        m = TOKEN.matcher(message);
        if (m.matches()) {
            return UNEXPECTED_CHARACTER + "'" + m.group(1) + "'";
        }
        m = UNEXPECTED.matcher(message);
        if (m.matches()) {
            String text = lastLine(m.group(1)).strip();
            return "unexpected text here" + (text.isEmpty() ? "" : ": '" + (text.length() > 30
                    ? text.substring(0, 30) + "…" : text) + "'");
        }
        return QUALIFIED.matcher(message).replaceAll(r -> Matcher.quoteReplacement(kind(r.group(1))));
    }

    private static String simple(String type) {
        String t = type.replaceAll("<.*", "").strip().replace('$', '.');
        return t.substring(t.lastIndexOf('.') + 1);
    }

    private static String kinds(String arguments) {
        if (arguments.isBlank()) return "";
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : arguments.toCharArray()) {
            if (c == '<') depth++;
            if (c == '>') depth--;
            if (c == ',' && depth == 0) {
                out.add(kind(simple(current.toString())));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(kind(simple(current.toString())));
        return String.join(", ", out);
    }

    private static String kind(String simpleName) {
        return ValueWords.kind(simpleName);
    }

    /** The part of the parser's text on the error's own line: it runs from the start of the rule it was reading. */
    private static String lastLine(String text) {
        int escaped = text.lastIndexOf("\\n");
        int from = Math.max(text.lastIndexOf('\n') + 1, escaped < 0 ? 0 : escaped + 2);
        return text.substring(from);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
