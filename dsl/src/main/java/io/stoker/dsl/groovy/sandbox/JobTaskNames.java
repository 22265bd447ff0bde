package io.stoker.dsl.groovy.sandbox;

import io.stoker.dsl.validate.NameChecks;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The task names a job's block declares as written, {@code task('build') { … }}, for a hint that depends on whether
 * a text names a task of the job. Complete only when every task of the block is named by plain text: a task made in
 * a loop ({@code task(n)}) could have any name.
 *
 * @param names    the names written
 * @param complete whether they are all the job's tasks
 */
record JobTaskNames(Set<String> names, boolean complete) {

    /** Nothing known: no job's block encloses the call. */
    static final JobTaskNames UNKNOWN = new JobTaskNames(Set.of(), false);

    JobTaskNames {
        names = Set.copyOf(names);
    }

    /** The names of the job whose block holds the innermost of {@code calls} that is {@code job('…') { … }}. */
    static JobTaskNames enclosing(Iterable<? extends Expression> calls) {
        for (Expression call : calls) {
            if (call instanceof MethodCallExpression job && job.isImplicitThis() && "job".equals(job.getMethodAsString())
                    && job.getArguments() instanceof ArgumentListExpression arguments
                    && !arguments.getExpressions().isEmpty()
                    && arguments.getExpressions().getLast() instanceof ClosureExpression block) {
                return of(block);
            }
        }
        return UNKNOWN;
    }

    private static JobTaskNames of(ClosureExpression block) {
        Set<String> names = new HashSet<>();
        boolean[] complete = {true};
        block.getCode().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && "task".equals(call.getMethodAsString())) {
                    List<Expression> arguments = call.getArguments() instanceof ArgumentListExpression a
                            ? a.getExpressions() : List.of();
                    if (!arguments.isEmpty() && arguments.getFirst() instanceof ConstantExpression c
                            && c.getValue() instanceof String name) {
                        names.add(name);
                    } else {
                        complete[0] = false;
                    }
                }
                super.visitMethodCallExpression(call);
            }
        });
        return new JobTaskNames(names, complete[0]);
    }

    /** Whether {@code text} cannot be the name of a task of the job: not a name at all, or none of its tasks'. */
    boolean cannotName(String text) {
        return !NameChecks.TASK_NAME.matcher(text).matches() || complete && !names.contains(text);
    }
}
