package io.stoker.dsl.label;

/**
 * Recursive descent over {@code or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | atom;
 * atom := LABEL | '(' or ')'}. Spaces between tokens are ignored. Depth is bounded so a hostile expression
 * cannot overflow the stack.
 */
final class LabelParser {
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    LabelParser(String text) {
        this.text = text;
    }

    LabelExpression parse() throws LabelSyntaxException {
        skipSpaces();
        if (pos == text.length()) throw error("an agent expression is empty");
        LabelExpression e = or();
        skipSpaces();
        if (pos < text.length()) {
            throw error(text.charAt(pos) == ')' ? "unmatched ')'" : "expected '&&', '||' or the end, found '" + rest() + "'");
        }
        return e;
    }

    private LabelExpression or() throws LabelSyntaxException {
        LabelExpression left = and();
        while (take("||")) left = new LabelExpression.Or(left, and());
        return left;
    }

    private LabelExpression and() throws LabelSyntaxException {
        LabelExpression left = unary();
        while (take("&&")) left = new LabelExpression.And(left, unary());
        return left;
    }

    private LabelExpression unary() throws LabelSyntaxException {
        if (++depth > MAX_DEPTH) throw error("an agent expression nests deeper than " + MAX_DEPTH);
        try {
            if (take("!")) return new LabelExpression.Not(unary());
            return atom();
        } finally {
            depth--;
        }
    }

    private LabelExpression atom() throws LabelSyntaxException {
        skipSpaces();
        if (pos == text.length()) throw error("expected a label, '!' or '(' but the expression ended");
        if (take("(")) {
            LabelExpression inner = or();
            if (!take(")")) throw error(pos == text.length() ? "missing ')'" : "expected ')', found '" + rest() + "'");
            return inner;
        }
        int start = pos;
        while (pos < text.length() && labelChar(text.charAt(pos))) pos++;
        if (start == pos) {
            char c = text.charAt(pos);
            String hint = c == '&' || c == '|' ? " (use '&&' and '||')" : "";
            throw error("expected a label, '!' or '(', found '" + rest() + "'" + hint
                    + "; labels hold letters, digits and _ . : / -");
        }
        return new LabelExpression.Label(text.substring(start, pos));
    }

    private boolean take(String token) {
        skipSpaces();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private String rest() {
        String r = text.substring(pos);
        return r.length() > 12 ? r.substring(0, 12) + "…" : r;
    }

    private LabelSyntaxException error(String message) {
        return new LabelSyntaxException(message, pos + 1);
    }

    private static boolean labelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    }
}
