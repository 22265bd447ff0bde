package io.stoker.engine.deploy;

/**
 * What judging a deployment did: the deployment as it was recorded ended ({@code judged}: good, bad or cancelled,
 * with its detail and end), and the automatic rollback that follows it, or null when none started.
 */
public record Verdict(Deployment judged, Deployment rollback) {
    public Verdict {
        if (!judged.state().isFinal()) throw new IllegalArgumentException("a verdict ends the deployment it judges");
    }
}
