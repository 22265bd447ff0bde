package io.stoker.cli.remote;

import io.stoker.cli.CliException;
import io.stoker.cli.HelpText;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --server URL}, {@code --token TOKEN} and {@code --ca-cert FILE} options every client command shares.
 * The server is the option, else {@code STOKER_SERVER}, else the one {@code stoker login} saved last, else the
 * default; the token is the option, else {@code STOKER_TOKEN}, else the one saved for that server; the extra
 * certificate is the option, else {@code STOKER_CA_CERT}.
 */
public final class ServerOption {
    static final String DEFAULT = "http://127.0.0.1:8080";
    /** The path the CLI puts before every API call itself. */
    private static final String API_PATH = "/api/v1";

    @Option(names = "--server", paramLabel = "URL",
            description = "the Stoker server's URL (default: $STOKER_SERVER, else the last 'stoker login', else "
                    + HelpText.DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "an API or access token (default: $STOKER_TOKEN, else the one 'stoker login' saved)")
    String token;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "a PEM file of the certificates to trust for an https server besides the JDK's trust store, e.g. a "
                    + "self-signed server's certificate (default: $STOKER_CA_CERT)")
    Path caCert;

    /** A client of the chosen server with the chosen token; a URL that is not http(s) is an input error. */
    public StokerClient client() {
        Map<String, String> env = System.getenv();
        CliConfig config = CliConfig.load(CliConfig.location(env));
        URI uri = resolve(server, env, config);
        return new StokerClient(uri, token(token, env, config, uri), caCert(caCert, env));
    }

    /** The extra certificate file: the option, else {@code STOKER_CA_CERT} from {@code env}, else none. */
    static Path caCert(Path option, Map<String, String> env) {
        if (option != null) return option;
        String fromEnv = env.get("STOKER_CA_CERT");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.strip());
    }

    /** The server's URL: the option, else {@code STOKER_SERVER} from {@code env}, else the default. */
    static URI resolve(String option, Map<String, String> env) {
        return resolve(option, env, null);
    }

    static URI resolve(String option, Map<String, String> env, CliConfig config) {
        String fromEnv = env.get("STOKER_SERVER");
        String url = option != null ? option
                : fromEnv != null && !fromEnv.isBlank() ? fromEnv
                : config != null && config.server().isPresent() ? config.server().get() : DEFAULT;
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            // 127.0.0.1:8080 without its scheme, a space: the parser's words ("Illegal character in scheme name at
            // index 0") say less than the form expected
            throw notServerUrl(option, url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw notServerUrl(option, url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        if (path.endsWith(API_PATH)) {
            // the API's base URL copied from the docs: every call would go to /api/v1/api/v1/… and be refused as
            // unauthenticated, which a login reported as a wrong password
            String server = url.strip().substring(0, url.strip().lastIndexOf(API_PATH));
            throw refusal(option, " is the server's address without " + API_PATH + ": " + server + ", not '" + url + "'");
        }
        return uri;
    }

    private static CliException notServerUrl(String option, String url) {
        return refusal(option, " must look like http://HOST:PORT, not '" + url + "'");
    }

    /** A URL typed as --server is a mistake in the command line; one from the environment or the config is not. */
    private static CliException refusal(String option, String predicate) {
        return option != null ? CliException.usage("--server" + predicate) : CliException.invalid("the server URL" + predicate);
    }

    static String token(String option, Map<String, String> env, CliConfig config, URI server) {
        if (option != null && !option.isBlank()) return option.strip();
        String fromEnv = env.get("STOKER_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.strip();
        return config.login(server.toString()).map(CliConfig.Login::token).orElse(null);
    }
}
