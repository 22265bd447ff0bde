package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;

import java.util.Optional;

/**
 * A Stoker word written with another tool's arguments — Jenkins' {@code when { branch 'main' }}, a bare number as
 * the {@code timeout} of GitLab or Jenkins — and Stoker's way to say it, for the "wrong arguments" message.
 */
final class ForeignForms {

    private ForeignForms() {
    }

    static Optional<String> of(String word, ArgumentListExpression arguments) {
        if (arguments.getExpressions().size() != 1) return Optional.empty();
        var only = arguments.getExpressions().getFirst();
        if (word.equals("when") && only instanceof ClosureExpression) {
            return Optional.of("a condition is an expression in text, not a block: Jenkins' when { branch 'main' } is"
                    + " written when 'run.branch == \"main\"'");
        }
        if (word.equals("timeout") && only instanceof ConstantExpression c && c.getValue() instanceof Number n) {
            return Optional.of("a number alone has no unit: write timeout minutes: " + n + " (or seconds:, hours:), or"
                    + " timeout '" + n + "m'");
        }
        return Optional.empty();
    }
}
