package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.List;

/**
 * An approval gate as written: the question, who may decide, and the timeout as text ({@code '2h'}, {@code '30m'},
 * {@code '1h30m'}, {@code '90s'}), null when not given. Validation parses and checks it.
 */
public record ApprovalDraft(String question, List<Located<String>> approvers, Located<String> timeout, Pos pos) {

    public ApprovalDraft {
        approvers = List.copyOf(approvers);
    }
}
