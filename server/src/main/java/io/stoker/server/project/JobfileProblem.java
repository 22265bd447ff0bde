package io.stoker.server.project;

import io.stoker.model.Diagnostic;
import io.stoker.server.forge.Payloads;

import java.time.Instant;
import java.util.List;

/**
 * The latest Jobfile of a ref of a git project that did not compile, as a push, a poll, a tag push or a pull request
 * brought it: no run started, and this is what is left to see. The next of the ref's Jobfiles that compiles clears it.
 *
 * @param ref         the full ref ({@code refs/heads/main}, {@code refs/tags/v1}, a pull request's head ref)
 * @param commit      the commit whose Jobfile it is
 * @param file        the Jobfile's name ({@code Jobfile}, {@code Jobfile.yaml} …)
 * @param at          when it was found
 * @param diagnostics what the compile said, errors and warnings, each with its line and column
 */
public record JobfileProblem(String project, String ref, String commit, String file, Instant at,
                             List<Diagnostic> diagnostics) {
    public JobfileProblem {
        diagnostics = List.copyOf(diagnostics);
    }

    /** The first error (else the first diagnostic): what a one-line summary names. */
    public Diagnostic first() {
        return diagnostics.stream().filter(Diagnostic::isError).findFirst()
                .orElse(diagnostics.isEmpty() ? null : diagnostics.getFirst());
    }

    /** Whether the ref is a pull (merge) request's head: neither a branch nor a tag. */
    public boolean pullRequest() {
        return shortRef().equals(ref);
    }

    /**
     * The ref as a git host's status API names it: a branch's or a tag's short name, else the full ref (a pull
     * request's head ref, which GitLab needs for a commit on no branch of the project).
     */
    public String shortRef() {
        for (String prefix : List.of(Payloads.HEADS, Payloads.TAGS)) {
            if (ref.startsWith(prefix)) return ref.substring(prefix.length());
        }
        return ref;
    }
}
