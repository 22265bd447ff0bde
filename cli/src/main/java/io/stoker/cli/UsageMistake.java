package io.stoker.cli;

import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.MutuallyExclusiveArgsException;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command line picocli could not parse, said in the CLI's words: picocli's "Unmatched argument at index 0:
 * 'frobnicate'" names neither what was wrong nor what would have been right.
 */
final class UsageMistake {
    private UsageMistake() {
    }

    /**
     * The one-line reason, without the "stoker: " prefix; {@code args} are the whole command line's arguments. Each
     * kind of mistake picocli finds is said here, so that every command says it alike and names the option.
     */
    static String describe(ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        // picocli checks the required arguments before the unknown ones: "trigger --bogus" would be told its
        // missing PROJECT, and "agent add --bogus" its missing --host-key, when the option is what was wrong
        UnmatchedArgumentException unmatched = ex instanceof UnmatchedArgumentException u ? u
                : c.getUnmatchedArguments().isEmpty() ? null : new UnmatchedArgumentException(c, c.getUnmatchedArguments());
        if (unmatched != null && !unmatched.getUnmatched().isEmpty()) return unmatched(unmatched);
        if (ex instanceof MutuallyExclusiveArgsException || ex instanceof MaxValuesExceededException
                || ex instanceof MissingParameterException) {
            // picocli says "expected only one match" of a group given twice, and "missing --git" of a --branch
            // beside --jobfile: both are options typed together that exclude each other
            String conflict = ExclusiveOptions.conflict(c.getCommandSpec(), args);
            if (!conflict.isEmpty()) return conflict;
        }
        if (ex instanceof MissingParameterException m) {
            String noValue = withoutValue(m, args);
            if (!noValue.isEmpty()) return noValue;
            String missing = ExclusiveOptions.missing(c.getCommandSpec(), args);
            if (!missing.isEmpty()) return missing;
            if (!m.getMissing().isEmpty()) return missing(m);
        }
        if (ex instanceof OverwrittenOptionException o && o.getOverwritten() != null) {
            return name(o.getOverwritten()) + " can be given only once";
        }
        if (ex.getArgSpec() != null && ex.getValue() != null) return invalidValue(ex);
        return plainTypes(withoutErrorPrefix(ex.getMessage()));
    }

    private static String unmatched(UnmatchedArgumentException u) {
        CommandLine c = u.getCommandLine();
        String first = u.getUnmatched().get(0);
        if (first.startsWith("-")) {
            // the same words and the same kind of suggestion as for a command; "--folow=x" is the option --folow
            String unknown = "unknown option '" + first + "'";
            // picocli's own suggestions miss swapped letters (--rwa for --raw): the closest of the command's options
            String typed = first.split("=", 2)[0];
            List<String> options = c.getCommandSpec().options().stream().filter(o -> !o.hidden())
                    .flatMap(o -> java.util.Arrays.stream(o.names()))
                    .sorted(java.util.Comparator.comparingInt(name -> edits(typed, name))).toList();
            return likelyTypo(typed, options).map(meant -> unknown + "; did you mean '" + meant + "'?").orElse(unknown);
        }
        String where = c.getCommandSpec().qualifiedName();
        if (!c.getSubcommands().isEmpty()) {
            String unknown = "unknown command '" + first + "' for '" + where + "'";
            // with a likely meaning, the list of every command would only bury it
            return meaning(first, c).or(() -> likelyTypo(first, u.getSuggestions()))
                    .map(meant -> unknown + "; did you mean '" + meant + "'?")
                    .orElse(unknown + " (commands: " + String.join(", ", commands(c)) + ")");
        }
        return "unexpected argument '" + first + "'; usage: " + c.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
    }

    /** Picocli's "but found '--follow'": the option typed where a value was wanted. */
    private static final Pattern FOUND = Pattern.compile("^Expected parameter for option '[^']*' but found '(.*)'$");

    /** An option typed without its value, {@code --param needs a value (KEY=VALUE)}; empty when none was. */
    private static String withoutValue(MissingParameterException m, String[] args) {
        if (m.getMissing().isEmpty() || !(m.getMissing().get(0) instanceof OptionSpec o)
                || ExclusiveOptions.typedOptions(args).stream().noneMatch(typed -> List.of(o.names()).contains(typed))) {
            return "";
        }
        String needs = o.longestName() + " needs a value (" + o.paramLabel() + ")";
        Matcher found = FOUND.matcher(withoutErrorPrefix(m.getMessage()));
        return found.find() ? needs + ", but '" + found.group(1) + "' is an option" : needs;
    }

    /** The required arguments and options not typed: {@code missing PROJECT and VERSION}, {@code missing --server=URL}. */
    private static String missing(MissingParameterException m) {
        // picocli lists only the first missing positional; the required ones after it are missing too
        List<String> missing = new ArrayList<>();
        for (ArgSpec arg : m.getMissing()) {
            if (arg instanceof PositionalParamSpec p) {
                m.getCommandLine().getCommandSpec().positionalParameters().stream()
                        .filter(later -> later.arity().min() > 0 && later.index().min() >= p.index().min())
                        .map(PositionalParamSpec::paramLabel).filter(l -> !missing.contains(l)).forEach(missing::add);
            } else if (arg instanceof OptionSpec o) {
                missing.add(o.arity().max() > 0 ? o.longestName() + "=" + o.paramLabel() : o.longestName());
            }
        }
        if (missing.size() == 1) return "missing " + missing.get(0);
        return "missing " + String.join(", ", missing.subList(0, missing.size() - 1)) + " and " + missing.getLast();
    }

    /** {@code --limit: 'abc' is not a whole number}: the option (or argument) and what its value is not. */
    private static String invalidValue(ParameterException ex) {
        Throwable cause = ex.getCause();
        String reason;
        if (cause instanceof TypeConversionException && cause.getMessage() != null) {
            reason = plainTypes(cause.getMessage());
        } else {
            // a converter's own failure: its message, never its exception's class name
            String why = cause == null ? null : cause.getMessage();
            reason = "'" + ex.getValue() + "' is not valid" + (why == null || why.isBlank() ? "" : ": " + why);
        }
        return name(ex.getArgSpec()) + ": " + reason;
    }

    /** An option by its longest name ({@code --format}), an argument by its label ({@code FILE}). */
    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
    }

    /** Picocli starts some messages with "Error: ", which after our "stoker: " would say it twice. */
    static String withoutErrorPrefix(String message) {
        return message != null && message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    /** Java's type names in picocli's "'abc' is not an int": what it was not, said in words. */
    private static final Map<String, String> TYPES = Map.of("int", "a whole number", "long", "a whole number",
            "short", "a whole number", "byte", "a whole number", "float", "a number", "double", "a number",
            "boolean", "true or false");
    private static final Pattern NOT_A_TYPE = Pattern.compile("'([^']*)' is not an? (int|long|short|byte|float|double|boolean)$");
    /** The largest value of each whole-number type: a number over it is no less a whole number. */
    private static final Map<String, Long> MAX = Map.of("int", (long) Integer.MAX_VALUE, "long", Long.MAX_VALUE,
            "short", (long) Short.MAX_VALUE, "byte", (long) Byte.MAX_VALUE);
    /** Picocli's refusal of an enum value, which shows Java's list syntax and its own "(case-sensitive)". */
    private static final Pattern NOT_ONE_OF = Pattern.compile("expected one of \\[([^\\]]*)] \\(case-sensitive\\) but was '([^']*)'$");

    /** Picocli's message with a Java type it names ({@code 'abc' is not a long}) said in the user's words. */
    static String plainTypes(String message) {
        Matcher oneOf = NOT_ONE_OF.matcher(message);
        if (oneOf.find()) return message.substring(0, oneOf.start()) + "'" + oneOf.group(2) + "' is not one of " + oneOf.group(1);
        Matcher m = NOT_A_TYPE.matcher(message);
        if (!m.find()) return message;
        String before = message.substring(0, m.start()) + "'" + m.group(1) + "' is ";
        Long max = MAX.get(m.group(2));
        if (max != null && m.group(1).matches("-?[0-9]+")) {
            return before + (m.group(1).startsWith("-") ? "too small (at least " + (-max - 1) : "too large (at most " + max) + ")";
        }
        return before + "not " + TYPES.get(m.group(2));
    }

    /** The command's visible subcommands by their names (not their aliases). */
    private static List<String> commands(CommandLine c) {
        return c.getSubcommands().values().stream()
                .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .map(CommandLine::getCommandName).distinct().toList();
    }

    /**
     * Words users try for a command of another name, each with what it may mean in order: the first that
     * {@code c} has (a subcommand, or an option such as {@code --version}) is suggested.
     */
    private static final Map<String, List<String>> SYNONYMS = Map.ofEntries(
            Map.entry("draw", List.of("graph")), Map.entry("plot", List.of("graph")), Map.entry("dot", List.of("graph")),
            Map.entry("check", List.of("validate")), Map.entry("lint", List.of("validate")),
            Map.entry("verify", List.of("validate")),
            Map.entry("build", List.of("trigger")), Map.entry("start", List.of("trigger")),
            Map.entry("retry", List.of("rerun")), Map.entry("restart", List.of("rerun")),
            Map.entry("history", List.of("runs")), Map.entry("show", List.of("status")),
            Map.entry("info", List.of("status")), Map.entry("log", List.of("logs")), Map.entry("tail", List.of("logs")),
            Map.entry("stop", List.of("cancel")), Map.entry("kill", List.of("cancel")),
            Map.entry("abort", List.of("cancel")), Map.entry("download", List.of("artifacts")),
            Map.entry("ls", List.of("list")), Map.entry("rm", List.of("remove", "revoke")),
            Map.entry("del", List.of("remove", "revoke")), Map.entry("delete", List.of("remove", "revoke")),
            Map.entry("new", List.of("add", "create")), Map.entry("create", List.of("add")),
            Map.entry("edit", List.of("update")), Map.entry("signin", List.of("login")),
            Map.entry("signout", List.of("logout")), Map.entry("deploys", List.of("deployments")),
            Map.entry("environments", List.of("targets")), Map.entry("envs", List.of("targets")),
            Map.entry("daemon", List.of("server")), Map.entry("version", List.of("--version")),
            Map.entry("help", List.of("--help")));

    private static Optional<String> meaning(String typed, CommandLine c) {
        return SYNONYMS.getOrDefault(typed.toLowerCase(Locale.ROOT), List.of()).stream()
                .filter(name -> c.getSubcommands().containsKey(name) || c.getCommandSpec().findOption(name) != null)
                .findFirst();
    }

    /**
     * Picocli's closest name when it is a likely typo of {@code typed} (at most two letters changed, added or
     * dropped, and fewer than half of them): its ranking always offers one, "frob" got "refresh".
     */
    private static Optional<String> likelyTypo(String typed, List<String> close) {
        return close.stream().filter(c -> edits(typed, c) <= Math.min(2, (typed.length() - 1) / 2)).findFirst();
    }

    /** The Levenshtein distance: how many letters must be changed, added or dropped to turn a into b. */
    static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int change = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(change, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
