package io.stoker.engine.deploy;

import java.util.Locale;

/** Why a deployment happened: asked for, a rollback asked for, or the automatic return to the last good version. */
public enum DeployReason {
    DEPLOY, ROLLBACK, AUTO_ROLLBACK;

    /** As shown to users and in JSON: {@code deploy}, {@code rollback}, {@code auto-rollback}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
