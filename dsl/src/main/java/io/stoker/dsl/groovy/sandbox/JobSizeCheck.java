package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.Pos;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.List;
import java.util.Optional;

/**
 * Counts the {@code task(…)} statements written in each {@code job('name') { … }} before any bytecode is made: a job
 * of thousands of tasks would otherwise fail as one method too large for the JVM, long before evaluation could say
 * "more than N tasks". It also remembers the job that spans the most lines, where that failure is told if a job
 * is too large for another reason (thousands of steps). One instance per compile.
 */
public final class JobSizeCheck extends CompilationCustomizer {

    /** A job of the script, where it starts and how many lines it spans. */
    public record Job(String name, Pos at, int lines) {
    }

    private final int maxTasks;
    private Job largest;

    public JobSizeCheck(int maxTasks) {
        super(CompilePhase.CONVERSION);
        this.maxTasks = maxTasks;
    }

    /** The job spanning the most lines, if the script has any written as {@code job('name') { … }}. */
    public Optional<Job> largest() {
        return Optional.ofNullable(largest);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        for (MethodNode method : classNode.getMethods("run")) {
            if (method.getParameters().length == 0 && method.getCode() instanceof BlockStatement body) {
                for (Statement statement : body.getStatements()) {
                    job(source, statement);
                }
            }
        }
    }

    private void job(SourceUnit source, Statement statement) {
        MethodCallExpression call = wordCall(statement, "job");
        if (call == null || !(call.getArguments() instanceof ArgumentListExpression arguments)
                || arguments.getExpressions().size() != 2
                || !(arguments.getExpression(0) instanceof ConstantExpression name && name.getValue() instanceof String)
                || !(arguments.getExpression(1) instanceof ClosureExpression closure)
                || !(closure.getCode() instanceof BlockStatement block)) {
            return;
        }
        Job job = new Job((String) name.getValue(), new Pos(Math.max(call.getLineNumber(), 1),
                Math.max(call.getColumnNumber(), 1)), call.getLastLineNumber() - call.getLineNumber() + 1);
        if (largest == null || job.lines() > largest.lines()) {
            largest = job;
        }
        List<MethodCallExpression> tasks = block.getStatements().stream().map(s -> wordCall(s, "task"))
                .filter(java.util.Objects::nonNull).toList();
        if (tasks.size() > maxTasks) {
            new PolicyCheck.Reporter(source).error(tasks.get(maxTasks),
                    "more than " + maxTasks + " tasks in job '" + job.name() + "'");
        }
    }

    private static MethodCallExpression wordCall(Statement statement, String word) {
        if (statement instanceof ExpressionStatement es && es.getExpression() instanceof MethodCallExpression call
                && call.isImplicitThis() && word.equals(call.getMethodAsString())) {
            return call;
        }
        return null;
    }
}
