package io.stoker.cli.store;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.server.storemove.MoveRefused;
import io.stoker.server.storemove.Moved;
import io.stoker.server.storemove.StoreMove;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code stoker store move}: a stopped server's H2 store into an empty PostgreSQL database. */
@Command(name = "move", mixinStandardHelpOptions = true,
        description = {"Move the H2 store of a stopped server's data directory into an empty PostgreSQL database: "
                + "projects, runs, users, tokens, secrets, agents, the audit log and the outbox, with their keys and "
                + "numbers, in one transaction. Then the data directory is noted as PostgreSQL's and its H2 file "
                + "renamed to db/stoker.mv.db.moved (kept for a way back); start the server with --db and the same "
                + "--data-dir. Logs, artifacts, keys and mirrors stay in the data directory.",
                "A database that holds a store already is refused; a failure commits nothing and leaves the H2 store "
                        + "as it was."},
        footer = {"", "Examples:",
                "  stoker store move --data-dir /var/lib/stoker --to postgresql://stoker@127.0.0.1:5432/stoker",
                "  stoker server --data-dir /var/lib/stoker --db postgresql://stoker@127.0.0.1:5432/stoker",
                "", "Exit codes: 0 moved, 2 refused (bad option, a running server, a database in use), 3 the database"
                + " cannot be reached or the move failed."})
public final class StoreMoveCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "the stopped server's data directory (default: "
            + "$STOKER_DATA_DIR, else stoker-data in the current directory, as for stoker server)")
    Path dataDir;

    @Option(names = "--to", paramLabel = "URL", required = true,
            description = "the empty PostgreSQL database: postgresql://user[:password]@host:5432/database[?sslmode=…]")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = dataDir != null ? dataDir
                : System.getenv("STOKER_DATA_DIR") != null ? Path.of(System.getenv("STOKER_DATA_DIR")) : Path.of("stoker-data");
        Moved moved;
        try {
            moved = StoreMove.move(dir, to);
        } catch (MoveRefused e) {
            throw new CliException(e.unavailable() ? ExitCode.UNAVAILABLE : ExitCode.INVALID, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("moved " + moved.total() + " rows of " + moved.rows().size() + " tables into " + moved.database()
                + " (" + moved.rows().entrySet().stream().filter(r -> r.getValue() > 0)
                .map(r -> r.getKey() + " " + r.getValue()).collect(Collectors.joining(", ")) + ")");
        out.println("the H2 file is kept as " + moved.setAside() + "; start the server with --db "
                + moved.database() + " --data-dir " + dir);
        return ExitCode.OK;
    }
}
