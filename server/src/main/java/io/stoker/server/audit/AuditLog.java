package io.stoker.server.audit;

import java.util.Map;

/**
 * Where security-relevant actions are recorded: logins, token and user changes, secret writes, agent changes.
 * Readable by admins through the API. Never given a secret value.
 *
 * <p>CONTRACT (lead): the auth work supplies the H2-backed implementation and {@code GET /api/v1/audit}.
 */
public interface AuditLog {

    /**
     * @param actor  the user who acted ({@code "-"} when nobody is logged in, e.g. a failed login)
     * @param action dotted verb, e.g. {@code login.failed}, {@code secret.created}, {@code agent.deleted}
     * @param target what was acted on (user name, secret name, agent name), may be null
     * @param detail extra facts (address, scope, reason); no secret values
     */
    void record(String actor, String action, String target, Map<String, ?> detail);
}
