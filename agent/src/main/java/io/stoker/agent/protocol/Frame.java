package io.stoker.agent.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.stoker.engine.image.RegistryCredentials;
import io.stoker.model.Container;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message of the agent protocol. Each side starts with {@link Hello}; a side that cannot speak the other's
 * {@link Hello#protocol()} closes the stream. Task ids are chosen by the server and unique per agent.
 *
 * <p><b>Streams and credits.</b> Bytes of a task's streams travel as {@link Chunk}s carrying their offset in the
 * stream. The receiver answers with {@link Ack}: it holds everything before {@code received} (the sender may forget
 * it) and the sender may send up to {@code received + window}. A sender keeps what is not acknowledged, so after a
 * dropped connection the server sends {@link Resume} with the offsets it has and the agent sends the rest again
 * (and an {@link Ack} for stdin, from which the server resends its part); a receiver ignores bytes it already has.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Frame.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Frame.Start.class, name = "start"),
        @JsonSubTypes.Type(value = Frame.Chunk.class, name = "chunk"),
        @JsonSubTypes.Type(value = Frame.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = Frame.Close.class, name = "close"),
        @JsonSubTypes.Type(value = Frame.Exit.class, name = "exit"),
        @JsonSubTypes.Type(value = Frame.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = Frame.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = Frame.Unknown.class, name = "unknown"),
        @JsonSubTypes.Type(value = Frame.Release.class, name = "release"),
        @JsonSubTypes.Type(value = Frame.Heartbeat.class, name = "heartbeat"),
        @JsonSubTypes.Type(value = Frame.Quit.class, name = "quit")
})
public sealed interface Frame {

    /** This protocol's version; a peer speaking another closes the stream after the hellos. */
    int PROTOCOL = 1;

    /**
     * The first frame each way.
     *
     * @param protocol {@link #PROTOCOL}
     * @param software who speaks ({@code stoker-server 0.1.0}, {@code stoker-agent 0a1b2c…})
     * @param tasks    the agent's: ids of the tasks it holds for this owner (running, or ended and not released);
     *                 the server's: empty
     * @param owner    the server's: who it speaks for. One agent program serves several owners at once (the
     *                 servers of a cluster), each with a connection of its own: a new connection replaces only its
     *                 owner's older one, and an owner sees and touches only its own tasks. Null (an older server,
     *                 and the agent's own hello) is one shared owner.
     */
    record Hello(int protocol, String software, List<String> tasks, String owner) implements Frame {
        public Hello {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }

        /** A hello that speaks for no owner in particular (the agent's answer; a server of the shared owner). */
        public Hello(int protocol, String software, List<String> tasks) {
            this(protocol, software, tasks, null);
        }
    }

    /**
     * Runs a task: its steps in order in {@code workdir}, stopping at the first failure.
     *
     * @param task        the id
     * @param scripts     one script per step; {@code #!} picks an interpreter, otherwise {@code bash -e}
     * @param env         variables on top of the agent's own environment
     * @param secretNames names in {@code env} whose values are secrets (never written to disk as step text)
     * @param workdir     absolute; made when missing
     * @param stdin       whether stdin chunks follow; else the task reads end of file at once
     * @param window      how many stdout/stderr bytes the agent may send beyond what was acknowledged
     * @param changes     whether the exit reports what the task changed in {@code workdir}
     * @param container   the image the steps run in (with the agent's Podman or Docker), null for the host
     * @param registryLogin the login its images are pulled with (the task's {@code registryCredentials}), or null;
     *                    a secret like those in {@code env}: never on a command line, shown masked
     */
    record Start(String task, List<String> scripts, Map<String, String> env, Set<String> secretNames, String workdir,
                 boolean stdin, long window, boolean changes, Container container,
                 RegistryCredentials registryLogin) implements Frame {
        public Start {
            scripts = List.copyOf(scripts);
            env = Map.copyOf(env);
            secretNames = secretNames == null ? Set.of() : Set.copyOf(secretNames);
        }

        /** A start whose images are pulled without a login. */
        public Start(String task, List<String> scripts, Map<String, String> env, Set<String> secretNames, String workdir,
                     boolean stdin, long window, boolean changes, Container container) {
            this(task, scripts, env, secretNames, workdir, stdin, window, changes, container, null);
        }
    }

    /** Bytes of one stream, starting at {@code offset} of that stream. */
    record Chunk(String task, StreamName stream, long offset, byte[] data) implements Frame {
    }

    /** The receiver holds the stream up to {@code received}; the sender may send up to {@code received + window}. */
    record Ack(String task, StreamName stream, long received, long window) implements Frame {
    }

    /**
     * From the server: for {@code STDIN}, end of input once the agent holds {@code at} bytes of it; for
     * {@code STDOUT}, the reader went away (the task's next write fails with SIGPIPE, as in a shell pipe).
     */
    record Close(String task, StreamName stream, long at) implements Frame {
    }

    /**
     * The task ended and every byte of its output was sent before this frame.
     *
     * @param code         its exit code (that of the first failing step)
     * @param output       what it wrote to {@code $STOKER_OUTPUT} (at most 1 MiB and a byte: see RunningTask)
     * @param stdoutLength bytes of stdout in all
     * @param stderrLength bytes of stderr in all
     * @param changes      what it changed in its workdir, when the start asked; else null
     * @param error        why the agent could not run it, else null
     * @param strays       what its end stopped that had left its process group, a sentence each for its log (an
     *                     older agent sends none)
     */
    record Exit(String task, int code, String output, long stdoutLength, long stderrLength, WorkspaceChanges changes,
                String error, List<String> strays) implements Frame {
        public Exit {
            strays = strays == null ? List.of() : List.copyOf(strays);
        }

        /** An end without strays. */
        public Exit(String task, int code, String output, long stdoutLength, long stderrLength, WorkspaceChanges changes,
                    String error) {
            this(task, code, output, stdoutLength, stderrLength, changes, error, List.of());
        }
    }

    /** Kills the task's whole process group. */
    record Cancel(String task) implements Frame {
    }

    /** After a new connection: resend the task's stdout and stderr from these offsets (and its exit, if it ended). */
    record Resume(String task, long stdout, long stderr) implements Frame {
    }

    /** The agent holds no such task (it restarted, or the task was released). */
    record Unknown(String task) implements Frame {
    }

    /** The server is done with the task: the agent forgets it and removes its files. */
    record Release(String task) implements Frame {
    }

    /** Answered with the same {@code seq}; a connection that stops answering is dead. */
    record Heartbeat(long seq) implements Frame {
    }

    /**
     * From the server: it is going away, and the agent program exits once no task of it runs (none is killed). From
     * the agent: it is stopping, and the tasks it ran for this server were killed; the server fails them at once.
     */
    record Quit(String reason) implements Frame {
    }
}
