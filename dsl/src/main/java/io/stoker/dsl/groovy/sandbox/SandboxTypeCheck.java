package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.DidYouMean;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCall;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.syntax.Types;
import org.codehaus.groovy.transform.stc.AbstractTypeCheckingExtension;
import org.codehaus.groovy.transform.stc.ExtensionMethodNode;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingVisitor;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The second wall, a type-checking extension of the static compilation every Jobfile gets: every call must target
 * a DSL word ({@link DslWord}) or an entry of {@link CallAllowList}; properties may be read from maps only; classes
 * cannot be named. It also turns "no such method" into the author's terms: unknown words with a suggestion, and
 * wrong argument types with the expected form.
 */
public final class SandboxTypeCheck extends AbstractTypeCheckingExtension {

    private static final Map<Class<?>, Set<String>> WORDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Set<String>> MARKED = new ConcurrentHashMap<>();

    /** Method calls being visited, innermost last, with the DSL class their closure delegates to (if any). */
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Set<Expression> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Calls already reported as unknown; their stand-in target is not checked again. */
    private final Set<Object> unresolved = Collections.newSetFromMap(new IdentityHashMap<>());

    public SandboxTypeCheck(StaticTypeCheckingVisitor visitor) {
        super(visitor);
    }

    private static final class Frame {
        final MethodCall call;
        Class<?> noun;
        /** An unknown word: what its closure says is not reported again in the wrong block's terms. */
        boolean unknown;

        Frame(MethodCall call) {
            this.call = call;
        }
    }

    @Override
    public boolean beforeMethodCall(MethodCall call) {
        frames.push(new Frame(call));
        return false;
    }

    @Override
    public void afterMethodCall(MethodCall call) {
        if (!frames.isEmpty() && frames.peek().call == call) {
            frames.pop();
        }
    }

    @Override
    public void onMethodSelection(Expression expression, MethodNode target) {
        if (target == null || reported.contains(expression) || unresolved.contains(expression)) {
            return;
        }
        Class<?> owner = resolvedClass(target.getDeclaringClass());
        if (owner != null && (isDslClass(owner) || isMarked(owner, target.getName()))) {
            if (!isWord(owner, target.getName())) {
                reject(expression, "'" + target.getName() + "' is not a word of the Jobfile DSL");
                return;
            }
            Class<?> opens = opensNoun(owner, target.getName());
            if (opens != null && !frames.isEmpty() && frames.peek().call == expression) {
                frames.peek().noun = opens;
            }
            return;
        }
        if (rootsAtClass(expression)) {
            return; // reported once, as a use of a class, by the visitor below
        }
        if (target.isStatic() && !(target instanceof ExtensionMethodNode)
                || target instanceof ExtensionMethodNode ext && ext.isStaticExtension()) {
            reject(expression, "calling the static method '" + target.getDeclaringClass().getNameWithoutPackage()
                    + "." + target.getName() + "' is not allowed in a Jobfile");
            return;
        }
        if (target.getName().equals("split") && !plainSeparator(expression)) {
            reject(expression, "split takes a plain separator written in quotes, e.g. split(',') (a regular "
                    + "expression could backtrack for ever); use tokenize for several separator characters");
            return;
        }
        if (!allowed(expression, target)) {
            ClassNode receiver = receiverType(expression, target);
            reject(expression, "calling '" + target.getName() + "' on " + words(receiver)
                    + " is not allowed in a Jobfile; only the DSL and simple string, number, list and map methods are"
                    + (receiver.equals(ClassHelper.OBJECT_TYPE) ? " (a closure's parameters without a type are values "
                    + "of unknown kind: give them one, e.g. { int a, int b -> a + b })" : ""));
        }
    }

    /** String.split takes a regular expression: allow only constants without regex metacharacters. */
    private static boolean plainSeparator(Expression expression) {
        if (!(expression instanceof MethodCallExpression call)
                || !(call.getArguments() instanceof org.codehaus.groovy.ast.expr.TupleExpression arguments)) {
            return false;
        }
        for (Expression argument : arguments.getExpressions()) {
            if (!(argument instanceof org.codehaus.groovy.ast.expr.ConstantExpression constant)
                    || !(constant.getValue() instanceof String text)
                    || text.chars().anyMatch(c -> ".$|()[]{}^?*+\\".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** {@code System.exit(…)}, {@code Runtime.runtime.halt(…)}: a chain that starts at a class. */
    private static boolean rootsAtClass(Expression expression) {
        Expression e = expression;
        for (int depth = 0; depth < 1000; depth++) {
            if (e instanceof ClassExpression) {
                return true;
            } else if (e instanceof MethodCallExpression call && !call.isImplicitThis()) {
                e = call.getObjectExpression();
            } else if (e instanceof PropertyExpression property) {
                e = property.getObjectExpression();
            } else {
                return false;
            }
        }
        return false;
    }

    private boolean allowed(Expression expression, MethodNode target) {
        String name = target.getName();
        List<Expression> operands = new java.util.ArrayList<>();
        if (expression instanceof BinaryExpression binary) {
            operands.add(binary.getLeftExpression());
            operands.add(binary.getRightExpression());
        } else if (expression instanceof MethodCallExpression call) {
            if (!call.isImplicitThis()) {
                operands.add(call.getObjectExpression());
            }
            // list*.method() builds a list as long as the receiver without a callback: never on a range
            if (call.isSpreadSafe() && CallAllowList.kind(getType(call.getObjectExpression())) == CallAllowList.Kind.RANGE) {
                return false;
            }
            if (call.getArguments() instanceof org.codehaus.groovy.ast.expr.TupleExpression arguments) {
                operands.addAll(arguments.getExpressions());
            }
            // count(x), every(), findAll(), collect() walk a range of up to 2^63 elements inside the library, with
            // no statement of the script (and so no deadline check) in between: on a range, walk only with a closure
            if (!call.isImplicitThis() && CallAllowList.kind(getType(call.getObjectExpression())) == CallAllowList.Kind.RANGE
                    && !CallAllowList.CONSTANT_ON_RANGE.contains(name) && operands.stream().skip(1)
                    .noneMatch(argument -> CallAllowList.kind(getType(argument)) == CallAllowList.Kind.CLOSURE)) {
                return false;
            }
        }
        for (Expression operand : operands) {
            ClassNode type = getType(operand);
            // a range costs nothing to make but everything to copy or walk without a callback (and so without a
            // deadline check): as receiver, argument or operand it allows only methods that call back
            if (CallAllowList.kind(type) == CallAllowList.Kind.RANGE && !CallAllowList.allowsOnRange(name)) {
                return false;
            }
            // big numbers multiply in one uninterruptible call that grows without bound
            if (CallAllowList.GROWING.contains(name) && CallAllowList.kind(type) == CallAllowList.Kind.NUMBER
                    && !CallAllowList.isMachineInteger(type)) {
                return false;
            }
        }
        return CallAllowList.allows(CallAllowList.kind(receiverType(expression, target)), name);
    }

    private ClassNode receiverType(Expression expression, MethodNode target) {
        if (expression instanceof MethodCallExpression call && !call.isImplicitThis() && !call.isSpreadSafe()) {
            return getType(call.getObjectExpression());
        }
        if (expression instanceof BinaryExpression binary) {
            return getType(binary.getLeftExpression());
        }
        return target.getDeclaringClass();
    }

    /** Said where Groovy read two statements of one line as one chain: {@code sh 'a' sh 'b'} is {@code sh('a').sh('b')}. */
    static final String TWO_STATEMENTS = "two statements on one line need a ';' between them";

    @Override
    public List<MethodNode> handleMissingMethod(ClassNode receiver, String javaName, ArgumentListExpression arguments,
                                                ClassNode[] argumentTypes, MethodCall call) {
        String name = WrittenNames.of(javaName);
        if (call instanceof MethodCallExpression mce && !mce.isImplicitThis() && followsAWord(mce.getObjectExpression())) {
            unresolved.add(call);
            reject(mce.getMethod().getLineNumber() > 0 ? mce.getMethod() : mce, TWO_STATEMENTS);
            if (!frames.isEmpty() && frames.peek().call == call) {
                frames.peek().unknown = true; // its block is not checked in the terms of the wrong word
            }
            return Collections.singletonList(makeDynamic(call));
        }
        if (!(call instanceof MethodCallExpression mce) || !mce.isImplicitThis()) {
            return Collections.emptyList();
        }
        unresolved.add(call);
        if (insideUnknownWord(call)) {
            return Collections.singletonList(makeDynamic(call));
        }
        if (arguments.getExpressions().stream().anyMatch(unresolved::contains)) {
            // task(build) { sh 'x' }: the name is reported; the block is not checked in the outer block's terms
            if (!frames.isEmpty() && frames.peek().call == call) {
                frames.peek().unknown = true;
            }
            return Collections.singletonList(makeDynamic(call));
        }
        Class<?> noun = currentNoun(call);
        if (noun != null && noun.isAnnotationPresent(DslEntries.class) && namedOptionsOnly(arguments)) {
            return Collections.singletonList(makeDynamic(call)); // the block's methodMissing takes it as an entry
        }
        String where = noun == null ? "" : " in " + nounName(noun);
        Set<String> words = noun == null ? Set.of() : words(noun);
        String message;
        if (words.contains(name) && name.equals("input") && words.contains("approval")
                && loneString(arguments) instanceof String text && JobTaskNames.enclosing(frames.stream()
                .map(f -> f.call).filter(Expression.class::isInstance).map(Expression.class::cast).toList())
                .cannotName(text)) {
            // Jenkins' input 'Deploy?' asks for approval; Stoker's input pipes a task's stdout
            message = gotWrong(noun, name, List.of("text")) + "; " + ApprovalHint.write(loneText(arguments), List.of());
        } else if (words.contains(name) && ForeignForms.of(name, arguments).isPresent()) {
            message = gotWrong(noun, name, Arrays.stream(argumentTypes)
                    .map(t -> ValueWords.argument(t.getNameWithoutPackage())).toList())
                    + "; " + ForeignForms.of(name, arguments).get();
        } else if (words.contains(name)) {
            message = wrongArguments(noun, name, argumentTypes, arguments);
        } else {
            message = "unknown word '" + name + "'" + where + (noun != null && groovy.lang.Script.class.isAssignableFrom(noun)
                    ? WordHints.topLevel(name, words) : WordHints.inBlock(name, words));
        }
        // neither an unknown word's block nor that of a word given the wrong arguments (job(42) { task … }) is
        // checked in the outer block's terms: its words would all be "unknown" there
        if (!frames.isEmpty() && frames.peek().call == call) {
            frames.peek().unknown = true;
        }
        reject(mce, message);
        return Collections.singletonList(makeDynamic(call));
    }

    /**
     * {@code needs(null)} fits both {@code needs(String...)} and {@code needs(List)}: Groovy's "Reference to method
     * is ambiguous" becomes the word's wrong arguments, as for arguments that fit no form.
     */
    @Override
    public List<MethodNode> handleAmbiguousMethods(List<MethodNode> nodes, Expression origin) {
        MethodNode first = nodes.getFirst();
        Class<?> owner = resolvedClass(first.getDeclaringClass());
        if (owner == null || !isDslClass(owner) || !isWord(owner, first.getName())
                || !(origin instanceof MethodCallExpression call)
                || !(call.getArguments() instanceof org.codehaus.groovy.ast.expr.TupleExpression arguments)) {
            return nodes;
        }
        List<String> got = arguments.getExpressions().stream().map(a -> a instanceof
                org.codehaus.groovy.ast.expr.ConstantExpression c && c.isNullExpression() ? "null"
                : ValueWords.argument(getType(a).getNameWithoutPackage())).toList();
        reject(call, wrongArguments(owner, WrittenNames.of(first.getName()), got, ANY_TEXT));
        return Collections.singletonList(first);
    }

    private static String wrongArguments(Class<?> noun, String name, ClassNode[] argumentTypes,
                                         ArgumentListExpression arguments) {
        return wrongArguments(noun, name, Arrays.stream(argumentTypes)
                .map(t -> ValueWords.argument(t.getNameWithoutPackage())).toList(), loneText(arguments));
    }

    /**
     * @param got  what each argument is, in words ("text", "a number", "null")
     * @param text the text the author gave, for a word whose usage shows it ({@link DslWord#textOption})
     */
    private static String wrongArguments(Class<?> noun, String name, List<String> got, String text) {
        return gotWrong(noun, name, got) + "; write " + usage(noun, name, text);
    }

    /** What a word was given, that it does not take. */
    private static String gotWrong(Class<?> noun, String name, List<String> got) {
        return "wrong arguments for '" + name + "' in " + nounName(noun) + ": got "
                + (got.isEmpty() ? "nothing" : String.join(", ", got));
    }

    /** What a usage shows where the author's text goes when there is none to show. */
    private static final String ANY_TEXT = "…";

    /** The one argument when it is plain text that reads back as written in single quotes, else {@link #ANY_TEXT}. */
    private static String loneText(ArgumentListExpression arguments) {
        String text = loneString(arguments);
        return text != null && text.chars().noneMatch(ch -> ch == '\'' || ch == '\\' || ch < ' ') ? text : ANY_TEXT;
    }

    /** The one argument when it is plain text, else null. */
    private static String loneString(ArgumentListExpression arguments) {
        return arguments.getExpressions().size() == 1
                && arguments.getExpressions().getFirst() instanceof org.codehaus.groovy.ast.expr.ConstantExpression c
                && c.getValue() instanceof String text ? text : null;
    }

    /** {@code postgres image: 'x', env: [...]}: one map of named options and nothing else. */
    private static boolean namedOptionsOnly(ArgumentListExpression arguments) {
        return arguments.getExpressions().size() == 1
                && arguments.getExpressions().getFirst() instanceof org.codehaus.groovy.ast.expr.MapExpression;
    }

    /** {@code needs 'a' 'b'} is {@code needs('a').b}: a value (or a statement) after a word on the same line. */
    @Override
    public boolean handleUnresolvedProperty(PropertyExpression property) {
        if (!followsAWord(property.getObjectExpression())) {
            return false;
        }
        unresolved.add(property);
        String word = ((MethodCallExpression) property.getObjectExpression()).getMethodAsString();
        reject(property.getProperty().getLineNumber() > 0 ? property.getProperty() : property,
                "'" + property.getPropertyAsString() + "' follows " + word + "(…) on the same line: values need a ','"
                        + " between them, and " + TWO_STATEMENTS);
        makeDynamic(property);
        return true;
    }

    /** {@code task(build) { … }}: a bare name as the first argument of a word that names a block. */
    private java.util.Optional<String> quoteHint(VariableExpression variable, Class<?> noun) {
        if (frames.isEmpty() || noun == null || !(frames.peek().call instanceof MethodCallExpression call)
                || !call.isImplicitThis() || opensNoun(noun, call.getMethodAsString()) == null
                || !(call.getArguments() instanceof ArgumentListExpression arguments)
                || arguments.getExpressions().isEmpty() || arguments.getExpressions().getFirst() != variable) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(" — a name is written in quotes: " + call.getMethodAsString() + "('"
                + variable.getName() + "')");
    }

    /** Whether an expression is a call of a word (or any method) written as a statement of its own. */
    private static boolean followsAWord(Expression receiver) {
        // a(…) b(…) c(…) is a(…).b(…).c(…): c follows the chain that starts with the word a
        return receiver instanceof MethodCallExpression word
                && (word.isImplicitThis() || followsAWord(word.getObjectExpression()));
    }

    @Override
    public boolean handleUnresolvedVariableExpression(VariableExpression variable) {
        unresolved.add(variable);
        if (insideUnknownWord(null)) {
            makeDynamic(variable);
            return true;
        }
        Class<?> noun = currentNoun(null);
        Set<String> words = noun == null ? Set.of() : words(noun);
        String where = noun == null ? "" : " in " + nounName(noun);
        if (words.contains(variable.getName())) {
            // sh ['a', 'b'] reads as an element of a value named sh: say what the word takes
            reject(variable, variable.getName().equals("sh")
                    ? "sh takes one script as text: sh 'make test' (for several commands write one sh each, or one '''…''' script)"
                    : "'" + variable.getName() + "' is a word of " + nounName(noun) + ", not a value: write "
                    + usage(noun, variable.getName(), ANY_TEXT));
            makeDynamic(variable);
            return true;
        }
        reject(variable, "unknown name '" + variable.getName() + "'" + where + (variable.getNodeMetaData(
                PolicyCheck.IN_DOUBLE_QUOTES) != null ? " — " + CompileErrors.DOLLAR : quoteHint(variable, noun)
                .orElse(DidYouMean.suffix(variable.getName(), words))));
        makeDynamic(variable);
        return true;
    }

    @Override
    public void afterVisitMethod(MethodNode node) {
        if (node.getCode() == null) {
            return;
        }
        node.getCode().visit(new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return typeCheckingVisitor.getTypeCheckingContext().getSource();
            }

            @Override
            public void visitBinaryExpression(BinaryExpression expression) {
                super.visitBinaryExpression(expression);
                int op = expression.getOperation().getType();
                if (op == Types.POWER || op == Types.POWER_EQUAL) {
                    reject(expression, "'**' is not allowed in a Jobfile (its result can grow without bound)");
                    return;
                }
                // number arithmetic compiles without a method selection, so big numbers are caught here
                if (op == Types.MULTIPLY || op == Types.MULTIPLY_EQUAL || op == Types.LEFT_SHIFT
                        || op == Types.LEFT_SHIFT_EQUAL) {
                    for (Expression operand : List.of(expression.getLeftExpression(), expression.getRightExpression())) {
                        ClassNode type = getType(operand);
                        if (CallAllowList.kind(type) == CallAllowList.Kind.NUMBER && !CallAllowList.isMachineInteger(type)) {
                            reject(expression, "'" + expression.getOperation().getText() + "' on "
                                    + words(type) + " is not allowed in a Jobfile (big "
                                    + "numbers grow without bound); use int or long");
                            return;
                        }
                    }
                }
            }

            @Override
            public void visitClassExpression(ClassExpression expression) {
                reject(expression, "using the class '" + expression.getType().getNameWithoutPackage()
                        + "' is not allowed in a Jobfile");
            }

            @Override
            public void visitPropertyExpression(PropertyExpression expression) {
                super.visitPropertyExpression(expression);
                if (expression.getObjectExpression() instanceof ClassExpression || unresolved.contains(expression)) {
                    return;
                }
                ClassNode type = getType(expression.getObjectExpression());
                CallAllowList.Kind kind = CallAllowList.kind(type);
                boolean entry = kind == CallAllowList.Kind.ENTRY
                        && ("key".equals(expression.getPropertyAsString())
                        || "value".equals(expression.getPropertyAsString()));
                if (kind != CallAllowList.Kind.MAP && !entry) {
                    reject(expression, "reading '." + expression.getPropertyAsString() + "' of "
                            + words(type)
                            + " is not allowed in a Jobfile; only map keys can be read as properties");
                }
            }
        });
    }

    private void reject(Expression expression, String message) {
        if (reported.add(expression)) {
            addStaticTypeError(message, expression);
        }
    }

    private boolean insideUnknownWord(MethodCall self) {
        return frames.stream().anyMatch(f -> f.call != self && f.unknown);
    }

    private Class<?> currentNoun(MethodCall self) {
        for (Frame frame : frames) {
            if (frame.call != self && frame.noun != null) {
                return frame.noun;
            }
        }
        for (ClassNode enclosing : typeCheckingVisitor.getTypeCheckingContext().getEnclosingClassNodes()) {
            if (enclosing.isScript() && enclosing.getSuperClass() != null) {
                Class<?> base = resolvedClass(enclosing.getSuperClass());
                if (base != null && isDslClass(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Class<?> resolvedClass(ClassNode node) {
        if (node == null || !node.isResolved() || node.isPrimaryClassNode()) {
            return null;
        }
        try {
            return node.getTypeClass();
        } catch (RuntimeException notLoadable) {
            return null;
        }
    }

    private static boolean isDslClass(Class<?> type) {
        return type.isAnnotationPresent(DslNoun.class);
    }

    private static boolean isWord(Class<?> type, String name) {
        return isMarked(type, name);
    }

    /** Whether the class declares or inherits a public method of that name marked as a word or the position mark. */
    private static boolean isMarked(Class<?> type, String name) {
        return MARKED.computeIfAbsent(type, t -> Arrays.stream(t.getMethods())
                .filter(m -> m.isAnnotationPresent(DslWord.class) || m.isAnnotationPresent(PositionMark.class))
                .map(Method::getName)
                .collect(Collectors.toUnmodifiableSet())).contains(name);
    }

    /** The public words of a DSL class, inherited ones included. */
    public static Set<String> words(Class<?> type) {
        return WORDS.computeIfAbsent(type, t -> Arrays.stream(t.getMethods())
                .filter(m -> m.isAnnotationPresent(DslWord.class))
                .map(m -> WrittenNames.of(m.getName()))
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static String nounName(Class<?> type) {
        return type.getAnnotation(DslNoun.class).value();
    }

    /** The DSL class a word's closure delegates to, e.g. TaskSpec for {@code task}. */
    private static Class<?> opensNoun(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.isAnnotationPresent(DslWord.class)) {
                for (Parameter p : m.getParameters()) {
                    DelegatesTo to = p.getAnnotation(DelegatesTo.class);
                    if (to != null && Closure.class.isAssignableFrom(p.getType())) {
                        return to.value();
                    }
                }
            }
        }
        return null;
    }

    /** How a word is written: its forms, or for a word with a {@link DslWord#textOption} that option given {@code text}. */
    private static String usage(Class<?> noun, String name, String text) {
        String option = Arrays.stream(noun.getMethods())
                .filter(m -> m.getName().equals(name) && m.isAnnotationPresent(DslWord.class))
                .map(m -> m.getAnnotation(DslWord.class).textOption()).filter(o -> !o.isEmpty()).findFirst().orElse(null);
        if (option != null) return name + " " + option + ": '" + text + "'";
        return Arrays.stream(noun.getMethods())
                .filter(m -> m.getName().equals(name) && m.isAnnotationPresent(DslWord.class))
                .map(m -> call(name, Arrays.stream(m.getParameterTypes()).map(ValueWords::written).toList()))
                .sorted()
                .collect(Collectors.joining(" or "));
    }

    /** A word's call as a Jobfile writes it: a last block after the parentheses, job('…') { … }. */
    private static String call(String name, List<String> parameters) {
        boolean block = !parameters.isEmpty() && parameters.getLast().equals("{ … }");
        List<String> inside = block ? parameters.subList(0, parameters.size() - 1) : parameters;
        String written = name + "(" + String.join(", ", inside) + ")";
        return block ? (inside.isEmpty() ? name : written) + " { … }" : written;
    }

    /** What an author calls a value of this type (the DSL's words, never the JVM's). */
    private static String words(ClassNode type) {
        return ValueWords.kind(type.getNameWithoutPackage());
    }

}
