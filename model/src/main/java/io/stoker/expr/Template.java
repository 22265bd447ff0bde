package io.stoker.expr;

import java.util.List;
import java.util.Set;

/** A text with {@code ${{ expression }}} parts. */
public interface Template {

    String source();

    /** The text with every part replaced by its value as a string (null renders as the empty string). */
    String render(EvalContext context);

    /** The {@code ${{ }}} parts in order; each source is the trimmed text between the braces. */
    List<Expression> expressions();

    /** What the parts read; offsets count in the whole template text, not in the part. */
    Set<Reference> references();

    /** True when there is no {@code ${{ }}} part (an escaped {@code $${{ }}} is text). */
    boolean isConstant();
}
