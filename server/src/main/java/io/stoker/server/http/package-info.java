/**
 * Outgoing HTTP shared by the adapters that call other services (events out, ntfy, log streams, Vault, source
 * archives): clients that cost nothing until their first request.
 */
package io.stoker.server.http;
