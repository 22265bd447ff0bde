package io.stoker.cli.remote;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code stoker logout}: revokes the saved API token on the server and forgets it. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"Revoke the API token 'stoker login' saved for a server, and remove it from the CLI config."},
        footer = {"", "Exit codes: 0 logged out (also when the server no longer knew the token), 2 not logged in, "
                + "3 the server cannot be reached (the token is then kept)."})
public final class LogoutCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL",
            description = "the Stoker server's URL (default: $STOKER_SERVER, else the last login)")
    String server;

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
        CliConfig.Login login = config.login(uri.toString())
                .orElseThrow(() -> CliException.invalid("not logged in to " + uri + " (nothing saved in " + config.file() + ")"));
        boolean[] gone = {false};
        try (StokerClient client = new StokerClient(uri, null, ServerOption.caCert(caCert, env))) {
            // revoked with itself; a 401 or 404 means the server already forgot it, which is the goal anyway
            client.delete("/tokens/" + StokerClient.segment(login.tokenName()), login.token(), e -> {
                gone[0] = e.status() == 401 || e.status() == 404;
                return e.toCli();
            });
        } catch (CliException e) {
            if (!gone[0]) throw e;
        }
        config.remove(uri.toString());
        config.save();
        spec.commandLine().getOut().println("logged out of " + uri);
        return ExitCode.OK;
    }
}
