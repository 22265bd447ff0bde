package io.stoker.server

/**
 * The environment a spec hands its server in place of this JVM's: the variables the spec names, over the settings the
 * build gives every spec JVM for all its servers (the password-hash cost, see the parent pom's surefire section).
 */
final class SuiteEnv {
    static final List<String> INHERITED = [StokerServer.PASSWORD_HASH_ENV]

    private SuiteEnv() {
    }

    static Map<String, String> with(Map<String, String> env) {
        System.getenv().subMap(INHERITED) + env
    }
}
