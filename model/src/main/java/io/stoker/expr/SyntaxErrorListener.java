package io.stoker.expr;

import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.LexerNoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Turns the first ANTLR lexer or parser error into a one-line message for people, with the offset of the
 * offending character. ANTLR's own messages ("mismatched input … expecting {…}") name grammar tokens, not intent.
 */
final class SyntaxErrorListener extends BaseErrorListener {
    /** Tokens after which an operand must follow. */
    private static final Set<Integer> NEEDS_OPERAND = Set.of(ExprLexer.OR, ExprLexer.AND, ExprLexer.EQ,
            ExprLexer.NE, ExprLexer.LE, ExprLexer.GE, ExprLexer.LT, ExprLexer.GT, ExprLexer.NOT, ExprLexer.IN,
            ExprLexer.COMMA, ExprLexer.LPAREN, ExprLexer.LBRACK);
    /** Tokens that can start an operand. */
    private static final Set<Integer> STARTS_OPERAND = Set.of(ExprLexer.NAME, ExprLexer.STRING, ExprLexer.NUMBER,
            ExprLexer.TRUE, ExprLexer.FALSE, ExprLexer.NULL, ExprLexer.LPAREN, ExprLexer.LBRACK, ExprLexer.NOT,
            ExprLexer.MINUS);

    private final String source;

    SyntaxErrorListener(String source) {
        this.source = source;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        if (recognizer instanceof Parser parser && offendingSymbol instanceof Token token) {
            throw parserError(parser, token);
        }
        int start = e instanceof LexerNoViableAltException lexerError ? lexerError.getStartIndex() : 0;
        throw lexerError(ExpressionCompiler.charOffset(source, start));
    }

    private ExpressionFailure lexerError(int offset) {
        if (offset >= source.length()) {
            return new ExpressionFailure("unexpected end of expression", source.length());
        }
        char c = source.charAt(offset);
        return switch (c) {
            case '\'', '"' -> stringError(offset, c);
            case '=' -> new ExpressionFailure("unexpected '=': use '==' to compare", offset);
            case '&' -> new ExpressionFailure("unexpected '&': use '&&'", offset);
            case '|' -> new ExpressionFailure("unexpected '|': use '||'", offset);
            default -> new ExpressionFailure("unexpected character '" + source.substring(offset,
                    source.offsetByCodePoints(offset, 1)) + "'", offset);
        };
    }

    /** A string the lexer could not match either has a bad escape or no closing quote. */
    private ExpressionFailure stringError(int quoteOffset, char quote) {
        for (int i = quoteOffset + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == quote) {
                break;
            }
            if (c == '\\') {
                if (i + 1 < source.length() && "nt'\"\\".indexOf(source.charAt(i + 1)) >= 0) {
                    i++;
                    continue;
                }
                String escape = i + 1 < source.length() ? "\\" + source.charAt(i + 1) : "\\";
                return new ExpressionFailure("unknown escape '" + escape
                        + "' in string: use \\' \\\" \\\\ \\n or \\t", i);
            }
        }
        return new ExpressionFailure("unclosed string", quoteOffset);
    }

    private ExpressionFailure parserError(Parser parser, Token token) {
        Token previous = token.getTokenIndex() > 0 ? parser.getTokenStream().get(token.getTokenIndex() - 1) : null;
        int offset;
        if (token.getType() != Token.EOF) {
            offset = ExpressionCompiler.charOffset(source, token.getStartIndex());
        } else {
            // At the end, point just past the last token (not past trailing blanks); an empty source at 0.
            offset = previous == null ? 0 : ExpressionCompiler.charOffset(source, previous.getStopIndex() + 1);
        }
        return new ExpressionFailure(message(parser, token, previous), offset);
    }

    private static String message(Parser parser, Token token, Token previous) {
        if (parser.getContext() instanceof ExprParser.BracketAccessorContext) {
            return "expected a quoted name in [ ], like outputs['build'].version";
        }
        if (previous == null && token.getType() == Token.EOF) {
            return "empty expression";
        }
        if (previous != null) {
            if (previous.getType() == ExprLexer.DOT) {
                return "expected a name after '.'";
            }
            if (previous.getType() == ExprLexer.MINUS) {
                return "'-' must be followed by a number";
            }
            if (NEEDS_OPERAND.contains(previous.getType())) {
                return "expected an expression after '" + previous.getText() + "'";
            }
        }
        if (token.getType() == Token.EOF) {
            return "unexpected end of expression";
        }
        if (STARTS_OPERAND.contains(token.getType())) {
            return "expected an operator before " + describe(token);
        }
        return "unexpected " + describe(token);
    }

    /** How a token is named in a message; long tokens are cut so the message stays on one line. */
    static String describe(Token token) {
        String text = token.getText();
        if (text.length() > 30) {
            text = text.substring(0, 27) + "...";
        }
        return token.getType() == ExprLexer.STRING ? text : "'" + text + "'";
    }
}
