/**
 * Approval gates in the server: the engine's approval port ({@link io.stoker.server.approval.OpenGates}, the gates
 * waiting now) and the service that decides one for a user, checks the approvers and writes the audit log.
 */
package io.stoker.server.approval;
