package io.stoker.server

/**
 * The environment a spec hands its server in place of this JVM's: the variables the spec names, over the settings the
 * build gives every spec JVM for all its servers (the password-hash cost, see the parent pom's surefire section).
 */
final class SuiteEnv {
    static final List<String> INHERITED = [StokerServer.PASSWORD_HASH_ENV]
    /**
     * STOKER_OUTBOX_TIMEOUT for specs whose receiver answers: longer than a receiver on 127.0.0.1 ever takes on a
     * loaded machine. A shorter one times a slow answer out, the outbox sends it again (at least once, as promised),
     * and a spec counting what arrived sees a duplicate. Specs about a receiver that never answers set their own.
     */
    static final String OUTBOX_TIMEOUT = "${30 * Http.TIMEOUT_FACTOR}s".toString()

    private SuiteEnv() {
    }

    static Map<String, String> with(Map<String, String> env) {
        System.getenv().subMap(INHERITED) + env
    }
}
