package io.stoker.engine.approval;

import java.util.concurrent.CompletableFuture;

/**
 * The port an approval gate asks people through. The server keeps the open requests for its API, CLI and UI to
 * answer; the local CLI has nobody to ask.
 *
 * <p>Contract: {@link #ask} returns at once; its future completes with a {@link Decision} when someone decides.
 * The engine cancels the future when the gate stops waiting for other reasons (its timeout, which rejects; the run
 * cancelled or timed out); an implementation then forgets the request. The engine holds no executor slot while
 * it waits.
 */
@FunctionalInterface
public interface ApprovalPort {

    CompletableFuture<Decision> ask(ApprovalRequest request);

    /** For engines with nobody to ask (the local CLI): every gate is rejected at once, saying why. */
    ApprovalPort UNAVAILABLE = request -> CompletableFuture.completedFuture(
            Decision.rejected(null, "nobody can approve in a local run: approval gates need a server"));
}
