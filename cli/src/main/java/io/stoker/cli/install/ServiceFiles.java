package io.stoker.cli.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What {@code stoker install} writes: a hardened systemd unit, its environment file and the data directory's path.
 * The unit runs the server as a dedicated user with a read-only system ({@code ProtectSystem=strict}) except the
 * data directory; no namespaces are restricted, because the Jobfile sandbox (bubblewrap) makes its own.
 *
 * @param java    the java executable
 * @param jar     the stoker jar
 * @param user    the dedicated system user (and group)
 * @param dataDir the only directory the server may write
 * @param envFile the environment file the unit reads
 */
public record ServiceFiles(Path java, Path jar, String user, Path dataDir, Path envFile, String bind, int port) {

    /**
     * The JVM options {@code ./stoker server} starts the server with ({@code scripts/server-jvm-options}), and as
     * there, from Java 23 on, leave to Guava (under Jib) the memory access Java 24 warns of in every log otherwise.
     * The unit runs the Java that runs {@code stoker install}.
     */
    static final String SERVER_JVM_OPTIONS = serverJvmOptions()
            + (Runtime.version().feature() >= 23 ? " --sun-misc-unsafe-memory-access=allow" : "");

    private static String serverJvmOptions() {
        try (var in = ServiceFiles.class.getResourceAsStream("server-jvm-options")) {
            if (in == null) throw new IllegalStateException("server-jvm-options is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server starts from a class-data archive of its classes in the data directory, which the JVM writes at the
     * service's first clean stop and again whenever the JDK or the jar changed ({@code -XX:+AutoCreateSharedArchive}):
     * a restart listens ~1.5 s sooner. One service per data directory, so no two JVMs write it at once.
     */
    String classDataOptions() {
        return "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + dataDir.resolve("cds").resolve("stoker-server.jsa")
                + " -Xlog:cds=off -Xlog:cds+dynamic=off";
    }

    /** The unit file's text. */
    public String unit() {
        return String.join("\n",
                "# written by 'stoker install'; see 'stoker install --help'",
                "[Unit]",
                "Description=Stoker CI server",
                "Documentation=https://github.com/stoker-ci/stoker#starting-readiness-and-running-as-a-service",
                "After=network-online.target",
                "Wants=network-online.target",
                "",
                "[Service]",
                "Type=simple",
                "User=" + user,
                "Group=" + user,
                "EnvironmentFile=-" + envFile,
                "ExecStart=" + java + " " + SERVER_JVM_OPTIONS + " " + classDataOptions() + " -jar " + jar
                        + " server --data-dir " + dataDir + " --bind " + bind + " --port " + port,
                "Restart=on-failure",
                "RestartSec=5",
                "# the server stops its runs and closes the database on SIGTERM",
                "TimeoutStopSec=60",
                "UMask=0027",
                "# hardening: nothing but the data directory is writable, no privilege can be gained",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=" + dataDir,
                "ProtectHome=read-only",
                "PrivateTmp=yes",
                "PrivateDevices=yes",
                "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes",
                "ProtectKernelLogs=yes",
                "ProtectControlGroups=yes",
                "ProtectClock=yes",
                "ProtectHostname=yes",
                "RestrictSUIDSGID=yes",
                "RestrictRealtime=yes",
                "LockPersonality=yes",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
                "CapabilityBoundingSet=",
                "AmbientCapabilities=",
                "SystemCallArchitectures=native",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "");
    }

    /** The environment file's text: the settings worth knowing, commented out. */
    public String environment() {
        return String.join("\n",
                "# Stoker server settings, read by the systemd unit (written by 'stoker install').",
                "# Every setting of 'stoker server --help' has a STOKER_* variable; uncomment what you need.",
                "# STOKER_ADMIN_PASSWORD=choose-a-long-one",
                "# STOKER_MASTER_KEY=base64-of-32-bytes   # else a key file in the data directory",
                "# STOKER_SLOTS=4",
                "# STOKER_DB=postgresql://stoker@127.0.0.1:5432/stoker",
                "# STOKER_TLS_CERT=/etc/stoker/cert.pem",
                "# STOKER_TLS_KEY=/etc/stoker/key.pem",
                "# STOKER_WEBHOOK_SECRET=",
                "");
    }

    /** The commands that finish the installation as root. */
    public String nextSteps(Path unitFile) {
        return String.join("\n",
                "next, as root:",
                "  useradd --system --home-dir " + dataDir + " --shell /usr/sbin/nologin " + user,
                "  chown -R " + user + ":" + user + " " + dataDir,
                "  systemd-analyze verify " + unitFile,
                "  systemctl daemon-reload && systemctl enable --now " + unitFile.getFileName(),
                "");
    }
}
