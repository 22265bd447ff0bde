package io.stoker.expr;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** Source text to a {@link ParsedExpression}: lex, check brackets, parse (SLL, then LL on failure), build the tree. */
final class ExpressionCompiler {
    private ExpressionCompiler() {
    }

    static ParsedExpression compile(String source) throws ExpressionException {
        if (source == null) {
            throw new ExpressionException("empty expression", 0);
        }
        try {
            SyntaxErrorListener errors = new SyntaxErrorListener(source);
            ExprLexer lexer = new ExprLexer(CharStreams.fromString(source));
            lexer.removeErrorListeners();
            lexer.addErrorListener(errors);
            CommonTokenStream tokens = new CommonTokenStream(lexer);
            tokens.fill();
            checkBrackets(source, tokens.getTokens());
            ExprParser.ParseContext tree = parse(tokens, errors);
            TreeBuilder builder = new TreeBuilder(source);
            Node root = builder.visit(tree.expr());
            return new ParsedExpression(source, root, builder.references(), builder.usesStatusFunction());
        } catch (ExpressionFailure failure) {
            throw failure.exception();
        }
    }

    /**
     * SLL prediction is the fast path and is enough for every valid expression of this grammar; only a failure
     * is re-parsed with full LL and the error listener, which then names the first problem.
     */
    private static ExprParser.ParseContext parse(CommonTokenStream tokens, SyntaxErrorListener errors) {
        ExprParser parser = new ExprParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        try {
            return parser.parse();
        } catch (ParseCancellationException sllFailed) {
            tokens.seek(0);
            parser.reset();
            parser.addErrorListener(errors);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            return parser.parse();
        }
    }

    /** Unbalanced brackets are reported at the bracket itself, which is where the author has to look. */
    private static void checkBrackets(String source, List<Token> tokens) {
        Deque<Token> open = new ArrayDeque<>();
        for (Token token : tokens) {
            switch (token.getType()) {
                case ExprLexer.LPAREN, ExprLexer.LBRACK -> open.push(token);
                case ExprLexer.RPAREN, ExprLexer.RBRACK -> {
                    int offset = charOffset(source, token.getStartIndex());
                    if (open.isEmpty()) {
                        throw new ExpressionFailure("unexpected '" + token.getText() + "'", offset);
                    }
                    Token opener = open.pop();
                    String closer = opener.getType() == ExprLexer.LPAREN ? ")" : "]";
                    if (!closer.equals(token.getText())) {
                        throw new ExpressionFailure("expected '" + closer + "' to close '" + opener.getText()
                                + "', found '" + token.getText() + "'", offset);
                    }
                }
                default -> {
                }
            }
        }
        if (!open.isEmpty()) {
            Token unclosed = open.getLast();
            throw new ExpressionFailure("unclosed '" + unclosed.getText() + "'",
                    charOffset(source, unclosed.getStartIndex()));
        }
    }

    /** ANTLR counts code points; offsets we report count Java chars, like the rest of the Jobfile positions. */
    static int charOffset(String source, int codePointIndex) {
        if (codePointIndex <= 0) {
            return Math.max(codePointIndex, 0);
        }
        int limit = Math.min(codePointIndex, source.length());
        for (int i = 0; i < limit; i++) {
            if (Character.isSurrogate(source.charAt(i))) {
                int cps = source.codePointCount(0, source.length());
                return codePointIndex >= cps ? source.length() : source.offsetByCodePoints(0, codePointIndex);
            }
        }
        return limit;
    }
}
