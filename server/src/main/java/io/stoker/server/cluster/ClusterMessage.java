package io.stoker.server.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stoker.engine.approval.Decision;
import io.stoker.server.event.DeploymentEnded;
import io.stoker.server.event.GateChanged;
import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
import io.stoker.server.event.RunStarted;
import io.stoker.server.event.TaskChanged;

/**
 * What the servers of a cluster tell each other over PostgreSQL {@code NOTIFY}, as JSON (typed records, never Java
 * serialisation): an event that happened on the sender, a request for the server holding a run (cancel it,
 * decide its approval gate), or news that a stored SSH agent, user or project changed, that a login ended, or that one failed or succeeded. {@code from} is
 * the sender's id.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClusterMessage.Event.class, name = "event"),
        @JsonSubTypes.Type(value = ClusterMessage.CancelRun.class, name = "cancel"),
        @JsonSubTypes.Type(value = ClusterMessage.DecideGate.class, name = "decide"),
        @JsonSubTypes.Type(value = ClusterMessage.AgentSaved.class, name = "agent"),
        @JsonSubTypes.Type(value = ClusterMessage.UserSaved.class, name = "user"),
        @JsonSubTypes.Type(value = ClusterMessage.LoggedOut.class, name = "logout"),
        @JsonSubTypes.Type(value = ClusterMessage.LoginFailed.class, name = "login-failed"),
        @JsonSubTypes.Type(value = ClusterMessage.LoginSucceeded.class, name = "login-ok"),
        @JsonSubTypes.Type(value = ClusterMessage.ProjectSaved.class, name = "project")})
public sealed interface ClusterMessage {
    String from();

    /** A run, task or deployment change saved by the sender. */
    record Event(String from,
                 @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
                 @JsonSubTypes({
                         @JsonSubTypes.Type(value = RunQueued.class, name = "queued"),
                         @JsonSubTypes.Type(value = RunStarted.class, name = "started"),
                         @JsonSubTypes.Type(value = RunFinished.class, name = "finished"),
                         @JsonSubTypes.Type(value = TaskChanged.class, name = "task"),
                         @JsonSubTypes.Type(value = GateChanged.class, name = "approval"),
                         @JsonSubTypes.Type(value = DeploymentEnded.class, name = "deployment")})
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

    /** The sender created, changed (role, enabled, password) or deleted the user {@code user}: read it again. */
    record UserSaved(String from, String user) implements ClusterMessage {
    }

    /**
     * A logout on the sender ended the access token whose id (JWT {@code jti}, never the token) is {@code token}:
     * refuse it until {@code expires} (epoch seconds), when it would have expired anyway.
     */
    record LoggedOut(String from, String token, long expires) implements ClusterMessage {
    }

    /**
     * A login through the sender failed for the user name {@code user} (clipped to 100 characters) from
     * {@code address}: count it here too, so the limits hold for the cluster, not per server.
     */
    record LoginFailed(String from, String user, String address) implements ClusterMessage {
    }

    /**
     * {@code user} logged in through the sender from {@code address}: their count of failed logins from there starts
     * again here too. Null {@code address} from a server of an older release, which did not send it.
     */
    record LoginSucceeded(String from, String user, String address) implements ClusterMessage {
    }

    /**
     * The sender created, changed (its Jobfile, refreshed) or deleted the project {@code project}: register its
     * schedules (cron, poll) again.
     */
    record ProjectSaved(String from, String project) implements ClusterMessage {
    }
}
