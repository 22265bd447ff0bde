package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.DoWhileStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.IfStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.ast.stmt.WhileStatement;
import org.codehaus.groovy.control.SourceUnit;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a call {@code $pos(line, col)} before every statement of the script, in every block, loop body and closure
 * (also empty ones). At run time that call tells the DSL where the next word was written — so each draft element
 * gets the line:col of the statement that declared it, inside loops and nested closures too — and it is the point
 * where the evaluation checks its deadline and memory budget, so no loop can run without passing it.
 * Runs after {@link PolicyCheck} and only when it found nothing.
 */
public final class PositionMarks extends ScriptBodyRewrite {

    static final String DONE = "stoker.positions.marked";

    public PositionMarks() {
        super(DONE);
    }

    @Override
    void rewrite(SourceUnit source, Statement body) {
        if (body instanceof BlockStatement block) new Marker(source).visitBlockStatement(block);
    }

    static Statement mark(ASTNode at) {
        MethodCallExpression call = new MethodCallExpression(new VariableExpression("this"), PositionMark.METHOD,
                new ArgumentListExpression(new ConstantExpression(at.getLineNumber(), true),
                        new ConstantExpression(at.getColumnNumber(), true)));
        call.setImplicitThis(true);
        call.setSourcePosition(at);
        ExpressionStatement statement = new ExpressionStatement(call);
        statement.setSourcePosition(at);
        return statement;
    }

    private static final class Marker extends ClassCodeVisitorSupport {
        private final SourceUnit source;

        Marker(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitBlockStatement(BlockStatement block) {
            if (block.getNodeMetaData(DONE) != null) {
                return;
            }
            block.putNodeMetaData(DONE, Boolean.TRUE);
            List<Statement> original = new ArrayList<>(block.getStatements());
            List<Statement> marked = new ArrayList<>(original.size() * 2);
            for (Statement statement : original) {
                if (statement.getLineNumber() > 0) {
                    marked.add(mark(statement));
                }
                marked.add(statement);
            }
            block.getStatements().clear();
            block.getStatements().addAll(marked);
            for (Statement statement : original) {
                statement.visit(this);
            }
        }

        /** A body that is a single statement or empty still gets a mark, so every iteration passes one. */
        private Statement body(Statement body, ASTNode owner) {
            BlockStatement block;
            if (body instanceof BlockStatement b) {
                block = b;
            } else {
                block = new BlockStatement();
                block.setSourcePosition(body.getLineNumber() > 0 ? body : owner);
                if (!body.isEmpty()) {
                    block.addStatement(body);
                }
            }
            if (block.getStatements().isEmpty() && owner.getLineNumber() > 0) {
                block.addStatement(mark(owner));
            }
            return block;
        }

        @Override
        public void visitForLoop(ForStatement loop) {
            loop.setLoopBlock(body(loop.getLoopBlock(), loop));
            super.visitForLoop(loop);
        }

        @Override
        public void visitWhileLoop(WhileStatement loop) {
            loop.setLoopBlock(body(loop.getLoopBlock(), loop));
            super.visitWhileLoop(loop);
        }

        @Override
        public void visitDoWhileLoop(DoWhileStatement loop) {
            loop.setLoopBlock(body(loop.getLoopBlock(), loop));
            super.visitDoWhileLoop(loop);
        }

        @Override
        public void visitIfElse(IfStatement statement) {
            statement.setIfBlock(body(statement.getIfBlock(), statement));
            statement.setElseBlock(body(statement.getElseBlock(), statement));
            super.visitIfElse(statement);
        }

        @Override
        public void visitClosureExpression(ClosureExpression closure) {
            closure.setCode(body(closure.getCode(), closure));
            super.visitClosureExpression(closure);
        }
    }
}
