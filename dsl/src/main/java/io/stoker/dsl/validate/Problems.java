package io.stoker.dsl.validate;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the diagnostics of one validation, so every check reports and none stops the others. */
final class Problems {
    private final String file;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void error(Pos pos, String message) {
        diagnostics.add(Diagnostic.error(file, pos == null ? Pos.NONE : pos, message));
    }

    void warning(Pos pos, String message) {
        diagnostics.add(Diagnostic.warning(file, pos == null ? Pos.NONE : pos, message));
    }

    void addAll(List<Diagnostic> more) {
        diagnostics.addAll(more);
    }

    boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /**
     * Sorted by line:col (stable: problems at one place keep the order they were found); a message that another at the
     * same place only extends ("a task needs a name" beside the front end's "a task needs a name: task('name') { … }")
     * is left out.
     */
    List<Diagnostic> sorted() {
        // each message's text before each of its ':', by place: linear in the messages, as a hostile Jobfile may
        // make a hundred thousand at one place (a loop declaring parameters)
        var extended = new java.util.HashSet<String>();
        for (Diagnostic d : diagnostics) {
            String m = d.message();
            for (int i = m.indexOf(':'); i > 0; i = m.indexOf(':', i + 1)) {
                extended.add(d.line() + ":" + d.col() + ":" + m.substring(0, i));
            }
        }
        var copy = new ArrayList<>(diagnostics);
        copy.removeIf(d -> extended.contains(d.line() + ":" + d.col() + ":" + d.message()));
        copy.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::col));
        return copy;
    }
}
