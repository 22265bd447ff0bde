package io.stoker.dsl.validate;

import io.stoker.dsl.draft.Located;
import io.stoker.dsl.label.LabelExpression;
import io.stoker.dsl.label.LabelSyntaxException;

/** {@code agent} label expressions must parse; the error points at the {@code agent} call. */
final class LabelChecks {
    private LabelChecks() {
    }

    static void agent(Located<String> agent, String owner, Problems problems) {
        if (agent == null || agent.value() == null) return;
        try {
            LabelExpression.parse(agent.value());
        } catch (LabelSyntaxException e) {
            problems.error(agent.pos(), "agent of " + owner + ": " + e.getMessage() + " at column " + e.column()
                    + " of '" + agent.value() + "'");
        }
    }
}
