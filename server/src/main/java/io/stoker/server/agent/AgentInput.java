package io.stoker.server.agent;

import io.stoker.dsl.label.LabelExpression;
import io.stoker.server.Problem;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An agent to register, checked field by field: a bad value is a 400 {@link Problem} whose message starts with the
 * field's name ({@code "port: must be 1..65535, not 0"}) and whose details say {@code field: port}.
 *
 * @param hostKey         the pinned {@code SHA256:…} fingerprint, or null with {@code trustOnFirstUse}
 * @param trustOnFirstUse accept the first host key seen and pin it; only when asked for explicitly
 */
public record AgentInput(String name, String host, int port, String user, String privateKey, List<String> labels,
                         int executors, String workDir, String hostKey, boolean trustOnFirstUse) {
    /** Agent names are labels too (an expression may name one agent), so they use label characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    /** A DNS name, an IPv4 address or a bare IPv6 address. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    /** Absolute or relative to the login's home; no spaces, quotes or {@code ..}, so it needs no quoting remotely. */
    private static final Pattern WORK_DIR = Pattern.compile("/?[A-Za-z0-9_.@+-]+(/[A-Za-z0-9_.@+-]+)*/?");
    public static final String DEFAULT_WORK_DIR = "stoker-agent";
    public static final int MAX_EXECUTORS = 64;
    private static final int MAX_LABELS = 100;
    private static final int MAX_LABEL = 100;
    /** {@code agent 'local'} means the server itself, so no agent or label may be called that. */
    public static final String LOCAL = "local";
    /**
     * Names no agent may take, with the reason: {@code /agents/connect} is the route pull agents dial, so an agent
     * called {@code connect} could never be read or removed at {@code /agents/{name}}.
     */
    private static final java.util.Map<String, String> RESERVED = java.util.Map.of(
            LOCAL, "agent 'local' means the server itself",
            "connect", "/api/v1/agents/connect is where pull agents connect, so an agent of that name could not be"
                    + " read or removed");

    public AgentInput {
        checkName(name);
        if (host == null || host.isEmpty()) throw invalid("host", "required (a host name or address)");
        if (!HOST.matcher(host).matches()) {
            throw invalid("host", "must be a host name or an IP address, not '" + shown(host) + "'");
        }
        if (port < 1 || port > 65535) throw invalid("port", "must be 1..65535, not " + port);
        if (user == null || user.isEmpty()) throw invalid("user", "required (the login name on the agent)");
        if (!USER.matcher(user).matches()) {
            throw invalid("user", "must be a login name (letters, digits, _ . -; not starting with a digit), not '"
                    + shown(user) + "'");
        }
        if (privateKey == null || privateKey.isBlank()) throw invalid("privateKey", "required (PEM or OpenSSH text)");
        String keyProblem = PrivateKeys.problem(privateKey);
        if (keyProblem != null) throw invalid("privateKey", keyProblem);
        labels = labels == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(labels));
        if (labels.size() > MAX_LABELS) throw invalid("labels", "at most " + MAX_LABELS + " labels, not " + labels.size());
        for (String l : labels) checkLabel(l);
        if (executors < 1 || executors > MAX_EXECUTORS) {
            throw invalid("executors", "must be 1.." + MAX_EXECUTORS + ", not " + executors);
        }
        if (workDir == null) workDir = DEFAULT_WORK_DIR;
        if (workDir.length() > 500 || !WORK_DIR.matcher(workDir).matches()
                || java.util.Arrays.asList(workDir.split("/")).contains("..")) {
            throw invalid("workDir", "must be a path (absolute, or relative to the login's home) of letters, digits"
                    + " and _ . @ + - separated by /, without '..', not '" + shown(workDir) + "'");
        }
        if (hostKey != null && trustOnFirstUse) {
            throw invalid("hostKey", "give either hostKey or trustOnFirstUse: true, not both");
        }
        if (hostKey == null && !trustOnFirstUse) {
            throw invalid("hostKey", "required (SHA256:…) unless trustOnFirstUse is true");
        }
        if (hostKey != null) checkFingerprint(hostKey);
    }

    @Override
    public String toString() { // never print the key
        return "AgentInput[" + name + " " + user + "@" + host + ":" + port + " labels=" + labels + " executors="
                + executors + " workDir=" + workDir + " hostKey=" + (trustOnFirstUse ? "trust-on-first-use" : hostKey) + "]";
    }

    public static void checkName(String name) {
        if (name == null || name.isEmpty()) throw invalid("name", "required");
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "must start with a letter or digit and hold at most 64 letters, digits, _ . -, not '"
                    + shown(name) + "'");
        }
        String reserved = reserved(name);
        if (reserved != null) throw invalid("name", reserved);
    }

    /** Why no agent, SSH or pull, may be called {@code name} ("'local' is reserved: …"); null when one may. */
    public static String reserved(String name) {
        String why = RESERVED.get(name);
        return why == null ? null : "'" + name + "' is reserved: " + why;
    }

    public static void checkFingerprint(String fingerprint) {
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw invalid("hostKey", "must be an OpenSSH SHA256 fingerprint (SHA256: and 43 base64 characters, as "
                    + "ssh-keygen -lf prints), not '" + shown(fingerprint) + "'");
        }
    }

    private static void checkLabel(String label) {
        if (label == null || label.isEmpty()) throw invalid("labels", "a label must not be empty");
        String problem = labelProblem(label);
        if (problem != null) throw invalid("labels", problem);
    }

    /**
     * What is wrong with a label an agent, SSH or pull, is given (null: nothing): one an {@code agent} expression
     * cannot name would route no task to it.
     */
    public static String labelProblem(String label) {
        if (label.length() > MAX_LABEL || !LabelExpression.LABEL.matcher(label).matches()) {
            return "'" + shown(label) + "' is not a label (at most " + MAX_LABEL + " letters, digits and _ . : / -)";
        }
        return label.equals(LOCAL) ? "'local' is reserved: agent 'local' means the server itself" : null;
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static Problem invalid(String field, String message) {
        return Problem.badRequest(field + ": " + message, "field: " + field);
    }
}
