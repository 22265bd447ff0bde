package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.UnaryPlusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.syntax.Types;

import java.util.Set;

/**
 * Reads a statement {@code retry -1} as the author meant it, {@code retry(-1)}: Groovy reads it as "retry minus 1",
 * an unknown name that hid every other problem of the file. Only a statement that is exactly a DSL word, a
 * {@code -} or {@code +} and a number is rewritten (as a statement, "word minus number" has no other use); the
 * word's own checks then say what is wrong with the value, together with the file's other problems.
 */
public final class SignedArguments extends ScriptBodyRewrite {

    private final Set<String> words;

    /** @param words every word of the DSL's blocks */
    public SignedArguments(Set<String> words) {
        super("stoker.signed-arguments.done");
        this.words = Set.copyOf(words);
    }

    @Override
    void rewrite(SourceUnit source, Statement body) {
        body.visit(new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitBlockStatement(BlockStatement block) {
                for (Statement statement : block.getStatements()) {
                    if (statement instanceof ExpressionStatement e) {
                        Expression call = asCall(e.getExpression());
                        if (call != null) e.setExpression(call);
                    }
                }
                super.visitBlockStatement(block);
            }
        });
    }

    private Expression asCall(Expression expression) {
        if (!(expression instanceof BinaryExpression binary)
                || !(binary.getLeftExpression() instanceof VariableExpression word)
                || !words.contains(word.getName())
                || !(binary.getRightExpression() instanceof ConstantExpression number)
                || !(number.getValue() instanceof Number)) {
            return null;
        }
        int op = binary.getOperation().getType();
        Expression value;
        if (op == Types.MINUS) {
            value = new UnaryMinusExpression(number);
        } else if (op == Types.PLUS) {
            value = new UnaryPlusExpression(number);
        } else {
            return null;
        }
        value.setSourcePosition(binary.getOperation().getStartLine() > 0 ? number : binary);
        MethodCallExpression call = new MethodCallExpression(new VariableExpression("this"), word.getName(),
                new ArgumentListExpression(value));
        call.setImplicitThis(true);
        call.setSourcePosition(binary);
        return call;
    }
}
