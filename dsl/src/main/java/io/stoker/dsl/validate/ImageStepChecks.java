package io.stoker.dsl.validate;

import io.stoker.model.Pos;

/**
 * Checks a {@code buildImage} or {@code publishImage} step: {@code push} is a template that, with its
 * {@code ${{ }}} parts filled, is an image reference; {@code base} is an image reference or {@code scratch}.
 */
final class ImageStepChecks {
    private ImageStepChecks() {
    }

    static void check(String push, String base, Pos pos, String step, ExpressionChecks expressions, Scope scope,
                      Problems problems) {
        if (push != null) {
            expressions.template(push, pos, step + " push", scope);
            // a template part becomes a tag-like word, so 'host/app:${{ run.number }}' is checked as 'host/app:0'
            String filled = push.replaceAll("\\$\\{\\{.*?}}", "0");
            ImageReference.problem(filled).ifPresent(why -> problems.error(pos, step + " push '" + push
                    + "' is not a valid image reference: " + why));
        }
        if (base != null && !base.equals("scratch")) {
            ImageReference.fixedProblem(base).ifPresent(why -> problems.error(pos, step + " base '" + base
                    + "' is not a valid image reference: " + why));
        }
    }
}
