package io.stoker.cli;

import io.stoker.server.StokerServer;
import picocli.CommandLine;

/** {@code stoker --version}: the build's version (one source, kept by the server module) and the JVM. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{"stoker " + StokerServer.version(),
                "JVM: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
