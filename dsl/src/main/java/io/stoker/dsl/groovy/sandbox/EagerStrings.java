package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Turns every {@code "…$x…"} of a Jobfile into a String where it is written ({@code "…$x…".toString()}). A GString
 * only holds references, so {@code 40.times { s = "$s$s" }} costs nothing until one library call renders 2^40
 * characters at once, where no statement (and so no memory check) comes in between; rendered eagerly, the string
 * doubles visibly at each statement and the memory budget stops it. Runs after {@link PolicyCheck}, only when it
 * found nothing.
 */
public final class EagerStrings extends ScriptBodyRewrite {

    static final String DONE = "stoker.strings.eager";

    public EagerStrings() {
        super(DONE);
    }

    @Override
    void rewrite(SourceUnit source, Statement body) {
        body.visit(new Transformer(source));
    }

    private static final class Transformer extends ClassCodeExpressionTransformer {
        private final SourceUnit source;

        Transformer(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public Expression transform(Expression expression) {
            if (expression == null) {
                return null;
            }
            if (expression instanceof ClosureExpression closure) {
                // transformExpression does not descend into a closure's code
                if (closure.getCode() != null) {
                    closure.getCode().visit(this);
                }
                return closure;
            }
            Expression transformed = expression.transformExpression(this);
            if (transformed instanceof GStringExpression gstring) {
                MethodCallExpression rendered = new MethodCallExpression(gstring, "toString",
                        ArgumentListExpression.EMPTY_ARGUMENTS);
                rendered.setImplicitThis(false);
                rendered.setSourcePosition(gstring);
                return rendered;
            }
            return transformed;
        }
    }
}
