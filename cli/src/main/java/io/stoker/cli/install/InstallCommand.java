package io.stoker.cli.install;

import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;
import io.stoker.cli.HelpText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/** {@code stoker install}: runs this machine's Stoker as a systemd service. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install the server as a systemd service on this machine: a hardened unit "
                + "(" + InstallCommand.UNIT_SHOWN + "), an environment file (" + InstallCommand.ENV_SHOWN + ") and the "
                + "data directory (/var/" + HelpText.GLUE + "lib/" + HelpText.GLUE + "stoker).",
                "The unit runs 'stoker server' as a dedicated user with NoNewPrivileges, ProtectSystem=strict (only "
                        + "the data directory writable), PrivateTmp and more. With --print nothing is written."},
        footer = {"", "Examples:", "  stoker install --print", "  sudo stoker install --port 8080 --bind 0.0.0.0",
                "", "Exit codes: 0 done, 2 bad option, 3 a file could not be written."})
public final class InstallCommand implements Callable<Integer> {
    // the files' paths kept whole in --help
    static final String UNIT_SHOWN = "/etc/" + HelpText.GLUE + "systemd/" + HelpText.GLUE + "system/" + HelpText.GLUE
            + "stoker." + HelpText.GLUE + "service";
    static final String ENV_SHOWN = "/etc/" + HelpText.GLUE + "stoker/" + HelpText.GLUE + "stoker." + HelpText.GLUE + "env";

    @Option(names = "--print", description = "show the files instead of writing them")
    boolean print;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "write under this directory instead of / (for images and tests)")
    Path root;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "stoker", description = "the service's user (default stoker)")
    String user;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/var/lib/stoker",
            description = "the server's data directory (default /var/lib/stoker)")
    Path dataDir;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port (default 8080)")
    int port;

    @Option(names = "--jar", paramLabel = "FILE", description = "the stoker jar the service runs (default: this one)")
    Path jar;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) throw CliException.usage("--user must be a system user name, not '" + user + "'");
        if (!dataDir.isAbsolute()) throw CliException.usage("--data-dir must be an absolute path, not '" + dataDir + "'");
        if (port < 1 || port > 65535) throw CliException.usage("--port must be 1..65535, not " + port);
        Path unitFile = Path.of("/etc/systemd/system/stoker.service");
        Path envFile = Path.of("/etc/stoker/stoker.env");
        var files = new ServiceFiles(Path.of(System.getProperty("java.home"), "bin", "java"), jar(), user, dataDir,
                envFile, bind, port);
        PrintWriter out = spec.commandLine().getOut();
        if (print) {
            out.println("# " + unitFile);
            out.print(files.unit());
            out.println();
            out.println("# " + envFile);
            out.print(files.environment());
            out.println();
            out.println("# data directory: " + dataDir + " (owned by " + user + ", mode 0750)");
            return ExitCode.OK;
        }
        try {
            write(under(unitFile), files.unit(), "rw-r--r--");
            Path env = under(envFile);
            if (!Files.exists(env)) write(env, files.environment(), "rw-r-----"); // never overwrite the operator's settings
            Path data = Files.createDirectories(under(dataDir));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        } catch (java.nio.file.FileSystemException e) {
            Path where = e.getFile() == null ? root : Path.of(e.getFile());
            throw new CliException(ExitCode.UNAVAILABLE, "cannot write the service files: cannot write " + where + ": "
                    + io.stoker.cli.FileProblem.directoryReason(where, e));
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot write the service files under " + root + ": "
                    + io.stoker.cli.FileProblem.reason(e));
        } catch (UnsupportedOperationException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot write the service files under " + root
                    + ": its file system has no POSIX permissions");
        }
        out.println("wrote " + under(unitFile) + ", " + under(envFile) + " and " + under(dataDir));
        out.print(files.nextSteps(unitFile));
        out.flush();
        return ExitCode.OK;
    }

    private Path under(Path absolute) {
        return root.resolve(absolute.toString().substring(1));
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".stoker-install-", ".tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path jar() {
        if (jar != null) {
            // the unit would start 'java -jar DIR' and fail at every boot: say so now
            if (Files.isDirectory(jar)) throw CliException.invalid("--jar " + jar + " is a directory, not the stoker jar");
            return jar.toAbsolutePath().normalize();
        }
        try {
            return Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw CliException.invalid("cannot tell where the stoker jar is; give it with --jar FILE");
        }
    }
}
