package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.cli.HelpText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code stoker login}: logs in with a password, creates a named API token ({@code cli@HOSTNAME@SERVER-PORT}) and saves it with
 * the server URL in the CLI config (mode 0600), so later commands need neither.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a Stoker server and save an API token for the other commands.",
                "Asks for the password without echo (or reads it from stdin with --password-stdin), creates the API "
                        + "token 'cli@HOSTNAME@SERVER-PORT' (replacing an older one of that name) and saves it with the server URL "
                        + "in $STOKER_CLI_CONFIG, else ${XDG_CONFIG_HOME:-~/." + HelpText.GLUE + "config}/" + HelpText.GLUE
                        + "stoker/" + HelpText.GLUE + "config." + HelpText.GLUE + "json (mode 0600).",
                "The first start of a server prints the password of its 'admin' user."},
        footer = {"", "Exit codes: 0 logged in, 2 invalid credentials or bad usage, 3 the server cannot be reached."})
public final class LoginCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL",
            description = "the Stoker server's URL (default: $STOKER_SERVER, else the last login, else "
                    + HelpText.DEFAULT_SERVER + ")")
    String server;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "user name (default: $USER, else admin)")
    String user;

    @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
    boolean passwordStdin;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "a PEM file of the certificates to trust for an https server besides the JDK's trust store "
                    + "(default: $STOKER_CA_CERT)")
    java.nio.file.Path caCert;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        CliConfig config = CliConfig.load(CliConfig.location(env));
        URI uri = ServerOption.resolve(server, env, config);
        String username = user != null ? user : env.getOrDefault("USER", "admin");
        String password = passwordStdin ? Passwords.stdinLine("password") : Passwords.prompt("Password for " + username + " at " + uri + ": ");
        String tokenName = tokenName(hostname(), uri);
        try (StokerClient client = new StokerClient(uri, null, ServerOption.caCert(caCert, env))) {
            JsonNode login = client.post("/login", StokerClient.map("username", username, "password", password), null,
                    e -> e.status() == 401 ? new CliException(ExitCode.INVALID, "invalid credentials for " + username + " at " + uri)
                            : e.toCli());
            String jwt = login.path("token").asText();
            JsonNode created = createToken(client, jwt, tokenName);
            config.put(new CliConfig.Login(uri.toString(), username, tokenName, created.path("token").asText()));
            config.save();
        }
        spec.commandLine().getOut().println("logged in to " + uri + " as " + username + " (API token '" + tokenName
                + "' saved in " + config.file() + ")");
        return ExitCode.OK;
    }

    /** Creates the CLI's token, replacing one of the same name (an earlier login from this machine). */
    private static JsonNode createToken(StokerClient client, String jwt, String name) {
        Map<String, Object> body = StokerClient.map("name", name);
        boolean[] exists = {false};
        JsonNode created = null;
        try {
            created = client.post("/tokens", body, jwt, e -> {
                if (e.status() == 409) exists[0] = true;
                return e.toCli();
            });
        } catch (CliException e) {
            if (!exists[0]) throw e;
        }
        if (created != null) return created;
        client.delete("/tokens/" + StokerClient.segment(name), jwt, ApiError::toCli);
        return client.post("/tokens", body, jwt, ApiError::toCli);
    }

    /**
     * {@code cli@HOSTNAME@SERVERHOST-PORT}: one per server URL, so that logging in through a cluster's second server
     * does not revoke the token saved for the first (they share one database, and a login replaces its token).
     */
    static String tokenName(String hostname, URI server) {
        int port = server.getPort() > 0 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
        String at = (server.getHost() == null ? "server" : server.getHost()).replaceAll("[^A-Za-z0-9._-]", "-")
                + "-" + port;
        String name = "cli@" + hostname + "@" + at;
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "unknown";
            }
        }
        String clean = h.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 90 ? clean.substring(0, 90) : clean;
    }

    /** Reading passwords: from a terminal without echo, or one line of stdin. */
    static final class Passwords {
        private Passwords() {
        }

        static String prompt(String text) {
            Console console = System.console();
            if (console == null) {
                throw CliException.invalid("no terminal to ask for the password on: use --password-stdin");
            }
            char[] pw = console.readPassword("%s", text);
            if (pw == null || pw.length == 0) throw CliException.invalid("no password given");
            return new String(pw);
        }

        private static BufferedReader stdin;

        static synchronized String stdinLine(String what) {
            try {
                if (stdin == null) stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = stdin.readLine();
                if (line == null || line.isEmpty()) throw CliException.invalid("no " + what + " on stdin (--password-stdin reads its first line)");
                return line;
            } catch (IOException e) {
                throw CliException.invalid("cannot read the " + what + " from stdin: " + e.getMessage());
            }
        }
    }
}
