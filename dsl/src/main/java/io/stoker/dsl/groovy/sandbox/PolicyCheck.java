package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.GenericsType;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArrayExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.MethodReferenceExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.SynchronizedStatement;
import org.codehaus.groovy.ast.stmt.ThrowStatement;
import org.codehaus.groovy.ast.stmt.TryCatchStatement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.Set;

/**
 * The first wall, at the CONVERSION phase (before any annotation can trigger a transformation): everything a Jobfile
 * never needs and an attacker would — annotations, imports, package, type and method declarations, {@code new},
 * casts and coercion, method pointers, {@code this}/{@code super}, try/catch (it could swallow the evaluation's stop),
 * dynamic member names, names that reach the meta-object protocol — is rejected with a line and column.
 * Every error is collected, so an author sees them all at once.
 */
public final class PolicyCheck extends CompilationCustomizer {

    /** Names that lead to reflection, the meta-object protocol, output, processes or the enclosing scope. */
    static final Set<String> DENIED_NAMES = Set.of(
            "class", "metaClass", "classLoader", "delegate", "owner", "thisObject", "properties", "getClass",
            "getMetaClass", "setMetaClass", "invokeMethod", "getProperty", "setProperty", "execute", "evaluate",
            "println", "print", "printf", "sleep", "with", "tap", "identity", "binding", "getBinding",
            "setBinding", "run", "getDelegate", "setDelegate", "getOwner", "getThisObject", "rehydrate",
            "dehydrate", "setResolveStrategy", "resolveStrategy", "directive", "setDirective", "asType",
            "getProperties", "invoke", "newInstance", "forName", "wait", "notify", "notifyAll", "finalize",
            "clone", "inspect", "dump", "use", "mixin", "getClassLoader", "load", "runAfter",
            PositionMark.METHOD, DslWord.NOTIFY, DslWord.RUN);

    /** Declared variable types a Jobfile may write ({@code def} is Object). */
    static final Set<String> ALLOWED_TYPES = Set.of(
            "java.lang.Object", "Object", "String", "java.lang.String", "boolean", "int", "long", "Boolean",
            "Integer", "Long", "java.lang.Boolean", "java.lang.Integer", "java.lang.Long", "BigDecimal",
            "java.math.BigDecimal", "List", "java.util.List", "Map", "java.util.Map", "Set", "java.util.Set",
            "Closure", "groovy.lang.Closure");

    static final String CHECKED = "stoker.policy.checked";
    /** Marks a name written as {@code $name} or {@code ${name}} inside a double-quoted string. */
    static final String IN_DOUBLE_QUOTES = "stoker.policy.in-double-quotes";

    /**
     * Calls and property reads chained on one receiver ({@code a.b().c.d()}, or words in a row with nothing between
     * them: {@code sh 'x' y 'z' …} is {@code sh('x').y('z')…}). The type checker's time doubles with each link it
     * cannot resolve: a 300-byte line of 25 links took over 10 s of CPU. No Jobfile needs more than a few.
     */
    public static final int MAX_CHAIN = 10;

    public PolicyCheck() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        if (module.getNodeMetaData(CHECKED) != null) {
            return;
        }
        module.putNodeMetaData(CHECKED, Boolean.TRUE);
        Reporter report = new Reporter(source);
        if (module.getPackage() != null) {
            report.error(module.getPackage(), "a package declaration is not allowed in a Jobfile");
        }
        for (ImportNode imp : module.getImports()) {
            report.error(imp, "import is not allowed in a Jobfile");
        }
        for (ImportNode imp : module.getStarImports()) {
            report.error(imp, "import is not allowed in a Jobfile");
        }
        for (ImportNode imp : module.getStaticImports().values()) {
            report.error(imp, "static import is not allowed in a Jobfile");
        }
        for (ImportNode imp : module.getStaticStarImports().values()) {
            report.error(imp, "static import is not allowed in a Jobfile");
        }
        annotations(report, module.getPackage());
        for (ImportNode imp : module.getImports()) {
            annotations(report, imp);
        }
        for (ClassNode type : module.getClasses()) {
            if (!type.isScript()) {
                report.error(type, "declaring a class, interface, enum, trait or record is not allowed in a Jobfile");
                continue;
            }
            for (AnnotationNode a : type.getAnnotations()) {
                // the compiler itself sets the configured base class with a position-less @BaseScript
                boolean configuredBase = a.getLineNumber() < 1
                        && a.getClassNode().getName().equals("groovy.transform.BaseScript");
                if (!configuredBase) {
                    report.error(a, "annotation @" + a.getClassNode().getNameWithoutPackage()
                            + " is not allowed in a Jobfile");
                }
            }
            // a Jobfile is never launched on its own: drop the generated main(String[])
            type.getMethods("main").stream().filter(m -> m.getLineNumber() < 1).toList().forEach(type::removeMethod);
            if (!type.getFields().isEmpty() || !type.getProperties().isEmpty()) {
                report.error(type.getFields().isEmpty() ? type : type.getFields().get(0),
                        "fields (@Field) are not allowed in a Jobfile");
            }
            for (MethodNode method : type.getMethods()) {
                if (method.getName().equals("run") && method.getParameters().length == 0) {
                    new Visitor(report, source).visit(method);
                    continue;
                }
                report.error(method, "defining a method is not allowed in a Jobfile; use a closure: def "
                        + method.getName() + " = { … }");
            }
        }
    }

    private static void annotations(Reporter report, AnnotatedNode node) {
        if (node == null) {
            return;
        }
        for (AnnotationNode a : node.getAnnotations()) {
            report.error(a, "annotation @" + a.getClassNode().getNameWithoutPackage() + " is not allowed in a Jobfile");
        }
    }

    /** Adds errors to the source unit; the compile stops at the end of the phase if there are any. */
    static final class Reporter {
        private final SourceUnit source;

        Reporter(SourceUnit source) {
            this.source = source;
        }

        void error(ASTNode node, String message) {
            error(node.getLineNumber(), node.getColumnNumber(), message);
        }

        void error(int atLine, int atCol, String message) {
            int line = Math.max(atLine, 1);
            int col = Math.max(atCol, 1);
            source.getErrorCollector().addErrorAndContinue(
                    new SyntaxErrorMessage(new SyntaxException(message, line, col), source));
        }
    }

    private static final class Visitor extends ClassCodeVisitorSupport {
        private final Reporter report;
        private final SourceUnit source;

        Visitor(Reporter report, SourceUnit source) {
            this.report = report;
            this.source = source;
        }

        void visit(MethodNode method) {
            if (method.getCode() != null) {
                method.getCode().visit(this);
            }
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            if (tooLong(call)) {
                return;
            }
            String name = call.getMethodAsString();
            if (name == null) {
                report.error(call, "a method name computed at run time is not allowed in a Jobfile");
            } else if (notifyBlock(call)) {
                var renamed = new org.codehaus.groovy.ast.expr.ConstantExpression(DslWord.NOTIFY);
                renamed.setSourcePosition(call.getMethod());
                call.setMethod(renamed);
            } else if (runCommand(call)) {
                var renamed = new org.codehaus.groovy.ast.expr.ConstantExpression(DslWord.RUN);
                renamed.setSourcePosition(call.getMethod());
                call.setMethod(renamed);
            } else if (DENIED_NAMES.contains(name)) {
                report.error(call.getMethod(), "'" + name + "' is not allowed in a Jobfile");
            } else if (quotedNameBeforeBlock(call)) {
                String inner = ((MethodCallExpression) ((TupleExpression) call.getArguments()).getExpression(0))
                        .getMethodAsString();
                report.error(call, "write " + name + "('" + inner + "') { … }: a name before a block needs"
                        + " parentheses (without them Groovy reads '" + inner + "' { … } as a call of its own)");
                return;
            }
            if (!call.isImplicitThis()) {
                call.getObjectExpression().visit(this);
            }
            call.getMethod().visit(this);
            call.getArguments().visit(this);
        }

        /** {@code task 'build' { … }}: Groovy reads it as {@code task('build'({ … }))}. */
        private boolean quotedNameBeforeBlock(MethodCallExpression call) {
            if (!call.isImplicitThis() || !(call.getArguments() instanceof TupleExpression args)
                    || args.getExpressions().size() != 1
                    || !(args.getExpression(0) instanceof MethodCallExpression inner) || !inner.isImplicitThis()
                    || !(inner.getArguments() instanceof TupleExpression innerArgs)
                    || innerArgs.getExpressions().size() != 1
                    || !(innerArgs.getExpression(0) instanceof ClosureExpression)) {
                return false;
            }
            int line = inner.getMethod().getLineNumber();
            int col = inner.getMethod().getColumnNumber();
            String text = line < 1 ? null : source.getSource().getLine(line, null);
            return text != null && col >= 1 && col <= text.length() && "'\"".indexOf(text.charAt(col - 1)) >= 0;
        }

        /**
         * {@code notify { … }}, the DSL's block (the type check then sees that it is the DSL word): the name is
         * denied only as {@code Object.notify()}, which takes no block.
         */
        private static boolean notifyBlock(MethodCallExpression call) {
            return "notify".equals(call.getMethodAsString()) && call.isImplicitThis()
                    && call.getArguments() instanceof org.codehaus.groovy.ast.expr.ArgumentListExpression args
                    && args.getExpressions().size() == 1
                    && args.getExpression(0) instanceof org.codehaus.groovy.ast.expr.ClosureExpression;
        }

        /** {@code run 'command'}, the deploy target's word: denied only as {@code Script.run()}, which takes nothing. */
        private static boolean runCommand(MethodCallExpression call) {
            return "run".equals(call.getMethodAsString()) && call.isImplicitThis()
                    && call.getArguments() instanceof org.codehaus.groovy.ast.expr.ArgumentListExpression args
                    && args.getExpressions().size() == 1
                    && !(args.getExpression(0) instanceof org.codehaus.groovy.ast.expr.ClosureExpression);
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            report.error(call, "calling '" + call.getMethod() + "' is not allowed in a Jobfile");
        }

        /**
         * Reports a chain longer than {@link #MAX_CHAIN} once, at its start, and skips its links (each would report
         * again); a chain is walked at most {@code MAX_CHAIN + 1} links deep.
         */
        private boolean tooLong(org.codehaus.groovy.ast.expr.Expression outer) {
            int links = 0;
            for (var e = outer; links <= MAX_CHAIN; links++) {
                if (e instanceof MethodCallExpression m && !m.isImplicitThis()) {
                    e = m.getObjectExpression();
                } else if (e instanceof PropertyExpression p) {
                    e = p.getObjectExpression();
                } else {
                    return false;
                }
            }
            report.error(outer, "more than " + MAX_CHAIN + " calls or properties in a row here (a.b().c… or words"
                    + " with nothing between them); look for a missing quote or ';', or split it with variables");
            return true;
        }

        @Override
        public void visitPropertyExpression(PropertyExpression expression) {
            if (tooLong(expression)) {
                return;
            }
            String name = expression.getPropertyAsString();
            if (name == null) {
                report.error(expression, "a property name computed at run time is not allowed in a Jobfile");
            } else if (DENIED_NAMES.contains(name)) {
                report.error(expression.getProperty(), "'" + name + "' is not allowed in a Jobfile");
            }
            super.visitPropertyExpression(expression);
        }

        @Override
        public void visitBitwiseNegationExpression(org.codehaus.groovy.ast.expr.BitwiseNegationExpression expression) {
            report.error(expression, "regular expressions (~/…/) are not allowed in a Jobfile: a bad one can "
                    + "backtrack for ever where no deadline reaches");
        }

        @Override
        public void visitBinaryExpression(org.codehaus.groovy.ast.expr.BinaryExpression expression) {
            int op = expression.getOperation().getType();
            if (op == org.codehaus.groovy.syntax.Types.FIND_REGEX || op == org.codehaus.groovy.syntax.Types.MATCH_REGEX) {
                report.error(expression, "regular expressions (=~, ==~) are not allowed in a Jobfile: a bad one can "
                        + "backtrack for ever where no deadline reaches");
            }
            super.visitBinaryExpression(expression);
        }

        @Override
        public void visitSpreadExpression(org.codehaus.groovy.ast.expr.SpreadExpression expression) {
            report.error(expression, "the spread operator (*list) is not allowed in a Jobfile; pass the list itself");
        }

        @Override
        public void visitSpreadMapExpression(org.codehaus.groovy.ast.expr.SpreadMapExpression expression) {
            report.error(expression, "the spread operator (*:map) is not allowed in a Jobfile; pass the map itself");
        }

        @Override
        public void visitAttributeExpression(AttributeExpression expression) {
            report.error(expression, "direct field access (.@) is not allowed in a Jobfile");
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            if (expression.isThisExpression() || expression.isSuperExpression()) {
                report.error(expression, "'" + expression.getName() + "' is not allowed in a Jobfile");
            } else if (DENIED_NAMES.contains(expression.getName())) {
                report.error(expression, "'" + expression.getName() + "' is not allowed in a Jobfile");
            }
        }

        @Override
        public void visitConstructorCallExpression(ConstructorCallExpression call) {
            report.error(call, "creating objects with 'new' is not allowed in a Jobfile");
        }

        @Override
        public void visitArrayExpression(ArrayExpression expression) {
            report.error(expression, "arrays are not allowed in a Jobfile; use a list: [a, b]");
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression expression) {
            report.error(expression, "method pointers (.&) are not allowed in a Jobfile");
        }

        @Override
        public void visitMethodReferenceExpression(MethodReferenceExpression expression) {
            report.error(expression, "method references (::) are not allowed in a Jobfile");
        }

        @Override
        public void visitCastExpression(CastExpression expression) {
            report.error(expression, "casts and 'as' coercion are not allowed in a Jobfile");
        }

        @Override
        public void visitClassExpression(ClassExpression expression) {
            report.error(expression, "using a class ('" + expression.getType().getName() + "') is not allowed in a Jobfile");
        }

        @Override
        public void visitGStringExpression(GStringExpression expression) {
            for (Expression value : expression.getValues()) {
                if (value instanceof VariableExpression) {
                    value.putNodeMetaData(IN_DOUBLE_QUOTES, Boolean.TRUE); // "$HOME": an unknown name gets a hint
                }
                // "${{ x }}" parses as a closure (or a call of one) inside the string
                boolean closure = value instanceof ClosureExpression
                        || value instanceof MethodCallExpression call
                        && call.getObjectExpression() instanceof ClosureExpression;
                if (closure) {
                    ASTNode at = value.getLineNumber() > 0 ? value : expression;
                    report.error(at, "'${{ … }}' (or '${-> … }') inside a double-quoted string is Groovy "
                            + "interpolation, not a Stoker template; write templates in single quotes: "
                            + singleQuoted(value));
                    return;
                }
            }
            super.visitGStringExpression(expression);
        }

        /**
         * The template as the author wrote it, in single quotes, so the message shows their own fix; the generic
         * {@code '${{ params.X }}'} when the source line cannot be read or the template spans lines.
         */
        private String singleQuoted(Expression closure) {
            String generic = "'${{ params.X }}'";
            if (closure.getLineNumber() < 1 || closure.getColumnNumber() < 1 || source.getSource() == null) return generic;
            String line;
            try {
                line = source.getSource().getLine(closure.getLineNumber(), null);
            } catch (RuntimeException e) {
                return generic;
            }
            int at = closure.getColumnNumber() - 1;
            if (line == null || at >= line.length()) return generic;
            int start = line.lastIndexOf("${", at);
            int end = line.indexOf("}}", at);
            if (start < 0 || end < 0) return generic;
            return "'" + line.substring(start, end + 2).replace("'", "\\'") + "'";
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression expression) {
            for (AnnotationNode a : expression.getAnnotations()) {
                report.error(a, "annotation @" + a.getClassNode().getNameWithoutPackage()
                        + " is not allowed in a Jobfile");
            }
            Expression left = expression.getLeftExpression();
            if (left instanceof VariableExpression v) {
                checkType(v, v.getOriginType());
            } else if (left instanceof TupleExpression tuple) {
                for (Expression e : tuple.getExpressions()) {
                    if (e instanceof VariableExpression v) {
                        checkType(v, v.getOriginType());
                    }
                }
            }
            super.visitDeclarationExpression(expression);
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            if (expression.getParameters() != null) {
                for (Parameter p : expression.getParameters()) {
                    for (AnnotationNode a : p.getAnnotations()) {
                        report.error(a, "annotation @" + a.getClassNode().getNameWithoutPackage()
                                + " is not allowed in a Jobfile");
                    }
                    checkType(p.getLineNumber() > 0 ? p : expression, p.getOriginType());
                    if (p.hasInitialExpression()) {
                        p.getInitialExpression().visit(this);
                    }
                }
            }
            super.visitClosureExpression(expression);
        }

        @Override
        public void visitForLoop(ForStatement loop) {
            Parameter variable = loop.getVariable();
            if (variable != null && variable != ForStatement.FOR_LOOP_DUMMY) {
                for (AnnotationNode a : variable.getAnnotations()) {
                    report.error(a, "annotation @" + a.getClassNode().getNameWithoutPackage()
                            + " is not allowed in a Jobfile");
                }
                checkType(variable.getLineNumber() > 0 ? variable : loop, variable.getOriginType());
            }
            super.visitForLoop(loop);
        }

        /**
         * {@code needs: ['a']} is a Groovy label before an expression, which the script would evaluate and drop: a
         * YAML habit that would lose the need without a word. A label is only meaningful before a loop.
         */
        @Override
        public void visitExpressionStatement(org.codehaus.groovy.ast.stmt.ExpressionStatement statement) {
            var labels = statement.getStatementLabels();
            if (labels != null && !labels.isEmpty()) {
                // the label written first (env:, of env:\n  FOO: 'x') is the outermost, added last
                String word = labels.getLast();
                int[] at = labelAt(statement, word);
                report.error(at[0], at[1], YamlLabel.message(word));
            }
            super.visitExpressionStatement(statement);
        }

        /**
         * Where {@code word:} is written: on the labelled expression's line before it, or at the end of one of the
         * few lines above (a label alone on its line); else the expression's position.
         */
        private int[] labelAt(org.codehaus.groovy.ast.stmt.Statement statement, String word) {
            int line = statement.getLineNumber();
            int col = statement.getColumnNumber();
            var label = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(word) + "\\s*:");
            for (int l = line; l >= 1 && l > line - 5; l--) {
                String text = source.getSource().getLine(l, null);
                if (text == null) break;
                var m = label.matcher(l == line ? text.substring(0, Math.min(Math.max(col - 1, 0), text.length())) : text);
                int found = -1;
                while (m.find()) found = m.start();
                if (found >= 0) return new int[] {l, found + 1};
            }
            return new int[] {line, col};
        }

        @Override
        public void visitTryCatchFinally(TryCatchStatement statement) {
            report.error(statement, "try/catch/finally is not allowed in a Jobfile");
        }

        @Override
        public void visitCatchStatement(CatchStatement statement) {
            report.error(statement, "try/catch/finally is not allowed in a Jobfile");
        }

        @Override
        public void visitSynchronizedStatement(SynchronizedStatement statement) {
            report.error(statement, "synchronized is not allowed in a Jobfile");
        }

        @Override
        public void visitThrowStatement(ThrowStatement statement) {
            report.error(statement, "throw is not allowed in a Jobfile");
        }

        private void checkType(ASTNode at, ClassNode type) {
            if (type == null) {
                return;
            }
            if (!ALLOWED_TYPES.contains(type.getName())) {
                report.error(at, "type '" + type.getName() + "' is not allowed in a Jobfile; use def, String, "
                        + "boolean, int, long, BigDecimal, List, Map, Set or Closure");
                return;
            }
            GenericsType[] generics = type.getGenericsTypes();
            if (generics != null) {
                for (GenericsType g : generics) {
                    if (g.isWildcard() || g.isPlaceholder()) {
                        report.error(at, "type parameter '" + g.getName() + "' is not allowed in a Jobfile");
                    } else {
                        checkType(at, g.getType());
                    }
                }
            }
        }
    }
}
