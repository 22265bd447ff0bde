package io.stoker.expr;

import java.util.List;
import java.util.Set;

/** A text with {@code ${{ expression }}} parts. */
public interface Template {

    String source();

    /** The text with every part replaced by its value as a string (null renders as the empty string). */
    String render(EvalContext context);

    List<Expression> expressions();

    Set<Reference> references();

    boolean isConstant();
}
