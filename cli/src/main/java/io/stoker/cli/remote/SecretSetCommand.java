package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code stoker secret set}: stores a secret, or replaces its value. The value is read from standard input, never
 * from the command line, where the shell history and {@code ps} would show it.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Store a secret, or replace the value of an existing one. The value is read from standard input"
                + ", or asked for without echo when stdin is a terminal; never from the command line.",
                "From stdin a single-line value loses one trailing newline (as 'echo' adds); a multi-line value (a key"
                        + " file) is kept byte for byte, its final newline too.",
                "  printf %%s \"$TOKEN\" | stoker secret set NPM_TOKEN --project web", // %% for picocli's format
                "  stoker secret set DEPLOY_KEY < id_ed25519",
                "  stoker secret set NPM_TOKEN --vault ci/npm#token   (kept in Vault, read at",
                "                                                      each run's start)"},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class SecretSetCommand extends RemoteCommand {
    /** The same bound as the server's, so a huge input is refused before it is sent. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    @Parameters(index = "0", paramLabel = "NAME", description = "the secret's name, an environment variable name")
    String name;

    @Option(names = "--project", paramLabel = "P", description = "the project the secret belongs to (default: global)")
    String project;

    @Option(names = "--vault", paramLabel = "PATH#KEY",
            description = "keep the value in HashiCorp Vault: key KEY of the KV v2 secret at PATH (nothing is read from stdin)")
    String vault;

    @Override
    int call(StokerClient client) {
        Object source = vault != null ? vaultRef() : readValue();
        String field = vault != null ? "vault" : "value";
        String scope = StokerClient.query("/secrets", StokerClient.map("project", project));
        boolean exists = false;
        for (JsonNode s : client.get(scope)) exists |= name.equals(s.path("name").asText());
        if (exists) {
            client.put(StokerClient.query("/secrets/" + StokerClient.segment(name), StokerClient.map("project", project)),
                    StokerClient.map(field, source));
            out().println("replaced " + where() + " secret " + name);
        } else {
            // the user typed NAME, not the API's field 'name'
            client.post("/secrets", StokerClient.map("name", name, field, source, "project", project),
                    e -> client.refused(e.withOptions(java.util.Map.of("name", "NAME"))));
            out().println("stored " + where() + " secret " + name);
        }
        return 0;
    }

    private Object vaultRef() {
        int hash = vault.lastIndexOf('#');
        if (hash <= 0 || hash == vault.length() - 1) {
            throw CliException.usage("--vault must be PATH#KEY, e.g. ci/npm#token, not '" + vault + "'");
        }
        return StokerClient.map("path", vault.substring(0, hash), "key", vault.substring(hash + 1));
    }

    private String where() {
        return project == null ? "global" : "project " + project + "'s";
    }

    private String readValue() {
        Console console = System.console();
        if (interactive(console)) {
            char[] typed = console.readPassword("value of %s: ", name);
            if (typed == null || typed.length == 0) throw CliException.invalid("no value given for " + name);
            return new String(typed);
        }
        String value = withoutEchoedNewline(new String(readBounded(System.in), StandardCharsets.UTF_8));
        if (value.isEmpty()) {
            throw CliException.invalid("no value on standard input for " + name
                    + " (pipe it in: printf %s \"$VALUE\" | stoker secret set " + name
                    + (project == null ? "" : " --project " + project) + ")");
        }
        return value;
    }

    /**
     * The value without the one newline {@code echo} or a text editor ends a single line with; a multi-line value
     * is kept as it is, since a PEM or OpenSSH key without its final newline cannot be loaded.
     */
    static String withoutEchoedNewline(String value) {
        int end = value.endsWith("\r\n") ? value.length() - 2 : value.endsWith("\n") ? value.length() - 1 : value.length();
        return value.substring(0, end).indexOf('\n') < 0 ? value.substring(0, end) : value;
    }

    /**
     * A terminal on stdin: ask without echo. Since JDK 22 {@code System.console()} also exists when stdin is
     * redirected, so {@code Console.isTerminal()} (JDK 22+, called reflectively for the release-21 build) decides.
     */
    private static boolean interactive(Console console) {
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    private static byte[] readBounded(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            // one byte more than allowed (plus a trailing newline) tells "too long" from "exactly the limit"
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_VALUE_BYTES + 2) {
                    throw CliException.invalid("the value on standard input is longer than " + MAX_VALUE_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new CliException(ExitCode.INVALID, "cannot read the value from standard input: " + e.getMessage());
        }
    }
}
