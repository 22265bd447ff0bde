package io.stoker.cli.remote;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** What every client command has: the server option and the command line's writers. */
abstract class RemoteCommand {
    static final String EXIT_CODES = "Exit codes: 0 done, 2 refused by the server (unknown name, invalid input) or bad"
            + " usage, 3 the server cannot be reached or failed.";

    @Mixin
    ServerOption server;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    StokerClient client() {
        return server.client();
    }
}
