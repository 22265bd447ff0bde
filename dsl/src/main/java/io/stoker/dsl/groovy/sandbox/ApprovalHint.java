package io.stoker.dsl.groovy.sandbox;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Said where Jenkins' approval prompt, {@code input 'Deploy?'} or {@code input message: 'Deploy?'}, was written in a
 * task: Stoker's {@code input} pipes another task's stdout, and its gate is {@code approval '…'}.
 */
public final class ApprovalHint {
    private ApprovalHint() {
    }

    /**
     * The gate to write instead, with its approvers when Jenkins' {@code submitter} named some.
     *
     * @param question  the prompt as it reads back in single quotes, or '…'
     * @param approvers the names to let decide, none for anyone who may change the run
     */
    public static String write(String question, List<String> approvers) {
        return "for an approval gate write approval '" + question + "'"
                + (approvers.isEmpty() ? "" : approvers.stream().map(a -> "'" + a + "'")
                        .collect(Collectors.joining(", ", ", approvers: [", "]")))
                + " (input from: 'task' reads a task's stdout)";
    }
}
