package io.stoker.dsl.yaml;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.ForeignWords;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What to add to "unknown key": Stoker's way to say another tool's key, else the closest key, else the known keys. */
final class UnknownKey {
    /** Values longer than this are not repeated in a hint. */
    private static final int MAX_WRITTEN = 60;
    /** Text that reads back as the same string without quotes in YAML's flow style. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./$][A-Za-z0-9_./$ =-]*");

    private UnknownKey() {
    }

    /** {@code " — write needs: [a]"}, {@code " — did you mean 'needs'?"} or {@code " (known: …)"}. */
    static String suffix(Node.Key key, Node value, List<String> allowed) {
        if (key.name().equals("parallel") && value instanceof Node.Mapping m
                && m.entries().keySet().stream().anyMatch(k -> k.name().equals("matrix"))) {
            return " — a matrix is written matrix: {AXIS: [a, b]} in the task itself";
        }
        if (key.name().equals("reports") && value instanceof Node.Mapping m) {
            // GitLab's artifacts: {reports: {junit: …}}
            var junit = m.entries().entrySet().stream().filter(e -> e.getKey().name().equals("junit")).findFirst();
            if (junit.isPresent()) {
                String paths = written(junit.get().getValue(), ForeignWords.Takes.TEXTS).orElse("[report.xml]");
                return " — JUnit reports are read by the task's testReports: " + (paths.startsWith("[") ? paths
                        : "[" + paths + "]");
            }
        }
        return ForeignWords.yaml(key.name()).map(hint -> " — " + hint.with(written(value, hint.takes())))
                .or(() -> DidYouMean.closest(key.name(), allowed).map(s -> " — did you mean '" + s + "'?"))
                .orElse(" (known: " + String.join(", ", allowed) + ")");
    }

    /** The value in YAML's flow style, when it has the shape Stoker's key takes and is short enough to repeat. */
    private static Optional<String> written(Node value, ForeignWords.Takes takes) {
        Optional<String> written = switch (takes) {
            case NOTHING -> Optional.empty();
            case TEXTS -> value instanceof Node.Sequence s ? texts(s.items()).map(items -> "[" + items + "]") : text(value);
            case NAMES_TO_TEXTS -> value instanceof Node.Mapping m ? names(m) : Optional.empty();
        };
        return written.filter(w -> w.length() <= MAX_WRITTEN);
    }

    private static Optional<String> names(Node.Mapping m) {
        var pairs = m.entries().entrySet().stream()
                .map(e -> text(e.getValue()).map(v -> quoted(e.getKey().name()) + ": " + v)).toList();
        if (pairs.isEmpty() || pairs.stream().anyMatch(Optional::isEmpty)) return Optional.empty();
        return Optional.of(pairs.stream().map(Optional::get).collect(Collectors.joining(", ", "{", "}")));
    }

    private static Optional<String> texts(List<Node> items) {
        var texts = items.stream().map(UnknownKey::text).toList();
        if (texts.isEmpty() || texts.stream().anyMatch(Optional::isEmpty)) return Optional.empty();
        return Optional.of(texts.stream().map(Optional::get).collect(Collectors.joining(", ")));
    }

    private static Optional<String> text(Node node) {
        return switch (node) {
            case Node.Scalar(var p, String s) -> Optional.of(quoted(s));
            case Node.Numeral n -> Optional.of(n.written());
            default -> Optional.empty();
        };
    }

    private static String quoted(String s) {
        return PLAIN.matcher(s).matches() && !s.endsWith(" ") ? s : "'" + s.replace("'", "''") + "'";
    }
}
