/** The audit log of security-relevant actions. */
package io.stoker.server.audit;
