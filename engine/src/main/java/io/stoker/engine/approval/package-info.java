/**
 * Approval gates: the port a waiting gate asks through ({@link io.stoker.engine.approval.ApprovalPort}), its
 * request and decision, and the gate's state as a run's task record carries it.
 */
package io.stoker.engine.approval;
