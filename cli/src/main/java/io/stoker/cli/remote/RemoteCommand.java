package io.stoker.cli.remote;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every client command has: the server option and the command line's writers. */
abstract class RemoteCommand implements Callable<Integer> {
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

    @Override
    public final Integer call() {
        try (StokerClient client = server.client()) {
            return call(client);
        }
    }

    /** The command's work against the server; returns the exit code. */
    abstract int call(StokerClient client);
}
