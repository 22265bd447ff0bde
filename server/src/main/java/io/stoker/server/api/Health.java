package io.stoker.server.api;

import java.util.Map;

/**
 * What {@code /healthz} answers: 503 while the store cannot be written (a load balancer or supervisor then looks
 * elsewhere), else 200 with "ok", or "degraded" and the runs that stalled.
 */
public record Health(int status, Map<String, Object> body) {
}
