package io.stoker.cli.remote;

import io.stoker.agent.pull.PullAgentProgram;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code stoker agent run}: this machine becomes a pull agent of a server, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Make this machine a pull agent: connect out to the server (HTTP or HTTPS, then a WebSocket; "
                + "no inbound port here) and run the tasks it routes to these labels, until Ctrl-C.",
                "Tasks run with bash in workspaces under --work-dir; the run's files come from the server and what "
                        + "a task changes goes back (needs bash and GNU tar). After a network drop it connects "
                        + "again (backoff up to --max-backoff) and its tasks' output resumes where the server "
                        + "left off."},
        footer = {"", "Exit codes: 0 stopped, 2 invalid option or refused by the server (token unknown or revoked, "
                + "name taken, a name or label it does not accept), 3 the agent could not run."})
public final class AgentRunCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "URL", split = ",",
            description = "the server, e.g. https://ci.example.com (a cluster's load balancer); or each server of a "
                    + "cluster (repeat or comma-separate): when the one in use cannot be reached, the next is tried")
    List<String> servers = new ArrayList<>();

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "an agent token ('stoker agent token create'); default $STOKER_AGENT_TOKEN")
    String token;

    @Option(names = "--label", paramLabel = "LABEL", split = ",",
            description = "a label tasks can ask for with agent '…' (repeat or comma-separate); the name is one too")
    List<String> labels = new ArrayList<>();

    @Option(names = "--executors", paramLabel = "N", defaultValue = "1", description = "tasks at once (default 1)")
    int executors;

    @Option(names = "--name", paramLabel = "NAME", description = "the agent's name (default: this host's name)")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "workspaces and scratch files (default ./stoker-agent)")
    Path workDir;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "10",
            description = "ping the server this often; no answer for three pings drops the connection (default 10)")
    int heartbeat;

    @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "30",
            description = "longest wait between connection attempts (default 30)")
    int maxBackoff;

    @Override
    public Integer call() {
        String t = token != null ? token : System.getenv("STOKER_AGENT_TOKEN");
        if (t == null || t.isBlank()) throw CliException.usage("missing --token=TOKEN (or set STOKER_AGENT_TOKEN)");
        List<URI> uris = new ArrayList<>();
        for (String server : servers) uris.add(serverUri(server));
        if (executors < 1 || executors > 256) throw CliException.usage("--executors must be from 1 to 256, not " + executors);
        if (heartbeat < 1) throw CliException.usage("--heartbeat must be at least 1 second, not " + heartbeat);
        if (maxBackoff < 1) throw CliException.usage("--max-backoff must be at least 1 second, not " + maxBackoff);
        String n = name != null ? name : hostName();
        Path dir = (workDir != null ? workDir : Path.of("stoker-agent")).toAbsolutePath();
        PullAgentProgram program;
        try {
            program = new PullAgentProgram(new PullAgentProgram.Settings(uris, t, n, labels, executors, dir,
                    Duration.ofSeconds(heartbeat), Duration.ofSeconds(maxBackoff)), line -> System.err.println("stoker agent: " + line));
        } catch (IOException e) {
            throw CliException.invalid("cannot use --work-dir " + dir + ": " + io.stoker.cli.FileProblem.directoryReason(dir, e));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(program::close));
        try {
            program.run();
            return ExitCode.OK;
        } catch (PullAgentProgram.Refused e) {
            throw new CliException(ExitCode.INVALID, e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, e.getMessage());
        }
    }

    private static URI serverUri(String server) {
        URI uri;
        try {
            uri = URI.create(server.trim());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--server must be an http:// or https:// URL, not '" + server + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw CliException.usage("--server must be an http:// or https:// URL, not '" + server + "'");
        }
        return uri;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (IOException e) {
            return "agent";
        }
    }
}
