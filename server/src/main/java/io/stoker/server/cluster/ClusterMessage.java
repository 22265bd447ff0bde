package io.stoker.server.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stoker.engine.approval.Decision;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;

/**
 * What the servers of a cluster tell each other over PostgreSQL {@code NOTIFY}, as JSON (typed records, never Java
 * serialisation): an event that happened on the sender, a request for the server holding a run (cancel it,
 * decide its approval gate), or news that a stored SSH agent changed. {@code from} is the sender's id.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClusterMessage.Event.class, name = "event"),
        @JsonSubTypes.Type(value = ClusterMessage.CancelRun.class, name = "cancel"),
        @JsonSubTypes.Type(value = ClusterMessage.DecideGate.class, name = "decide"),
        @JsonSubTypes.Type(value = ClusterMessage.AgentSaved.class, name = "agent")})
public sealed interface ClusterMessage {
    String from();

    /** A run or task change saved by the sender. */
    record Event(String from,
                 @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
                 @JsonSubTypes({
                         @JsonSubTypes.Type(value = RunQueued.class, name = "queued"),
                         @JsonSubTypes.Type(value = RunStarted.class, name = "started"),
                         @JsonSubTypes.Type(value = RunFinished.class, name = "finished"),
                         @JsonSubTypes.Type(value = TaskChanged.class, name = "task"),
                         @JsonSubTypes.Type(value = GateChanged.class, name = "approval")})
                 LifecycleEvent event) implements ClusterMessage {
    }

    /** Cancel a run the receiver holds (a user asked another server). */
    record CancelRun(String from, String run) implements ClusterMessage {
    }

    /** Decide a waiting gate of a run the receiver holds (the sender checked who may, and audited it). */
    record DecideGate(String from, String run, String task, Decision decision) implements ClusterMessage {
    }

    /** The sender added, changed (labels, host key, install) or deleted the SSH agent {@code agent}: read it again. */
    record AgentSaved(String from, String agent) implements ClusterMessage {
    }
}
