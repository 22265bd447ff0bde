package io.stoker.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds the {@link Node} tree from the ANTLR parse tree, and checks what the grammar leaves open on purpose:
 * the root of every name and the name of every function. Collects the references on the way.
 */
final class TreeBuilder extends ExprBaseVisitor<Node> {
    static final List<String> ROOTS = List.of("params", "env", "outputs", "run", "matrix", "secrets");
    static final List<String> STATUS_FUNCTIONS = List.of("success", "failure", "always", "cancelled");

    private final String source;
    private final Set<Reference> references = new LinkedHashSet<>();
    private boolean usesStatusFunction;

    TreeBuilder(String source) {
        this.source = source;
    }

    Set<Reference> references() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(references));
    }

    boolean usesStatusFunction() {
        return usesStatusFunction;
    }

    @Override
    public Node visitNotExpr(ExprParser.NotExprContext ctx) {
        return new Node.Not(visit(ctx.expr()));
    }

    @Override
    public Node visitCompareExpr(ExprParser.CompareExprContext ctx) {
        Node.Operator operator = switch (ctx.op.getType()) {
            case ExprLexer.LT -> Node.Operator.LT;
            case ExprLexer.LE -> Node.Operator.LE;
            case ExprLexer.GT -> Node.Operator.GT;
            default -> Node.Operator.GE;
        };
        return new Node.Comparison(operator, visit(ctx.expr(0)), visit(ctx.expr(1)));
    }

    @Override
    public Node visitEqualityExpr(ExprParser.EqualityExprContext ctx) {
        Node.Operator operator = ctx.op.getType() == ExprLexer.EQ ? Node.Operator.EQ : Node.Operator.NE;
        return new Node.Comparison(operator, visit(ctx.expr(0)), visit(ctx.expr(1)));
    }

    @Override
    public Node visitInExpr(ExprParser.InExprContext ctx) {
        return new Node.In(visit(ctx.expr(0)), visit(ctx.expr(1)));
    }

    @Override
    public Node visitAndExpr(ExprParser.AndExprContext ctx) {
        return new Node.And(visit(ctx.expr(0)), visit(ctx.expr(1)));
    }

    @Override
    public Node visitOrExpr(ExprParser.OrExprContext ctx) {
        return new Node.Or(visit(ctx.expr(0)), visit(ctx.expr(1)));
    }

    @Override
    public Node visitPrimaryExpr(ExprParser.PrimaryExprContext ctx) {
        return visit(ctx.primary());
    }

    @Override
    public Node visitParenPrimary(ExprParser.ParenPrimaryContext ctx) {
        return visit(ctx.expr());
    }

    @Override
    public Node visitListPrimary(ExprParser.ListPrimaryContext ctx) {
        List<Node> items = new ArrayList<>();
        for (ExprParser.ExprContext item : ctx.expr()) {
            items.add(visit(item));
        }
        return new Node.ListLiteral(items);
    }

    @Override
    public Node visitStringPrimary(ExprParser.StringPrimaryContext ctx) {
        return new Node.Literal(unquote(ctx.STRING().getText()));
    }

    @Override
    public Node visitNumberPrimary(ExprParser.NumberPrimaryContext ctx) {
        BigDecimal number = new BigDecimal(ctx.NUMBER().getText());
        return new Node.Literal(ctx.MINUS() == null ? number : number.negate());
    }

    @Override
    public Node visitTruePrimary(ExprParser.TruePrimaryContext ctx) {
        return new Node.Literal(Boolean.TRUE);
    }

    @Override
    public Node visitFalsePrimary(ExprParser.FalsePrimaryContext ctx) {
        return new Node.Literal(Boolean.FALSE);
    }

    @Override
    public Node visitNullPrimary(ExprParser.NullPrimaryContext ctx) {
        return new Node.Literal(null);
    }

    @Override
    public Node visitCallPrimary(ExprParser.CallPrimaryContext ctx) {
        String function = ctx.NAME().getText();
        if (!STATUS_FUNCTIONS.contains(function)) {
            throw new ExpressionFailure("unknown function '" + function
                    + "()': use success(), failure(), always() or cancelled()", offset(ctx.NAME().getSymbol()));
        }
        if (!ctx.expr().isEmpty()) {
            throw new ExpressionFailure(function + "() takes no arguments", offset(ctx.expr(0)));
        }
        usesStatusFunction = true;
        return new Node.StatusCall(function);
    }

    @Override
    public Node visitReferencePrimary(ExprParser.ReferencePrimaryContext ctx) {
        Token rootToken = ctx.NAME().getSymbol();
        String root = rootToken.getText();
        int offset = offset(rootToken);
        if (!ROOTS.contains(root)) {
            if (STATUS_FUNCTIONS.contains(root)) {
                throw new ExpressionFailure("'" + root + "' is a function: write " + root + "()", offset);
            }
            throw new ExpressionFailure("unknown name '" + root
                    + "': use params., env., outputs., run., matrix. or secrets.", offset);
        }
        List<ExprParser.AccessorContext> accessors = ctx.accessor();
        List<String> names = new ArrayList<>(accessors.size());
        for (ExprParser.AccessorContext accessor : accessors) {
            String name = accessor instanceof ExprParser.BracketAccessorContext bracket
                    ? unquote(bracket.STRING().getText())
                    : ((ExprParser.DotAccessorContext) accessor).segment().getText();
            if (name.isEmpty()) {
                throw new ExpressionFailure("empty name in [ ]", offset(accessor));
            }
            names.add(name);
        }
        boolean outputs = root.equals("outputs");
        int wanted = outputs ? 2 : 1;
        if (names.size() < wanted) {
            throw new ExpressionFailure(outputs
                    ? "outputs needs a task and a key, like outputs.build.version"
                    : root + " needs a name, like " + root + ".X", offset);
        }
        if (names.size() > wanted) {
            throw new ExpressionFailure(outputs
                    ? "too many names: outputs takes a task and a key, like outputs.build.version"
                    : "too many names: " + root + " takes one name, like " + root + ".X",
                    offset(accessors.get(wanted)));
        }
        Reference reference = new Reference(root, names.get(0), outputs ? names.get(1) : null, offset);
        references.add(reference);
        return new Node.Read(reference);
    }

    private int offset(Token token) {
        return ExpressionCompiler.charOffset(source, token.getStartIndex());
    }

    private int offset(ParserRuleContext ctx) {
        return offset(ctx.getStart());
    }

    /** Strips the quotes of a lexed string and resolves its escapes (the lexer already allowed only valid ones). */
    static String unquote(String literal) {
        StringBuilder text = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char escaped = literal.charAt(++i);
                text.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> escaped;
                });
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
