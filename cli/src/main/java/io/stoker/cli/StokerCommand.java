package io.stoker.cli;

import io.stoker.cli.install.InstallCommand;
import io.stoker.cli.local.GraphCommand;
import io.stoker.cli.local.RunCommand;
import io.stoker.cli.local.ValidateCommand;
import io.stoker.cli.remote.AgentCommand;
import io.stoker.cli.remote.ArtifactsCommand;
import io.stoker.cli.remote.ClusterCommand;
import io.stoker.cli.remote.ApproveCommand;
import io.stoker.cli.remote.CancelCommand;
import io.stoker.cli.remote.RejectCommand;
import io.stoker.cli.remote.JobsCommand;
import io.stoker.cli.remote.ListCommand;
import io.stoker.cli.remote.VersionsCommand;
import io.stoker.cli.remote.DeployCommand;
import io.stoker.cli.remote.DeploymentsCommand;
import io.stoker.cli.remote.TargetsCommand;
import io.stoker.cli.remote.CachesCommand;
import io.stoker.cli.remote.RollbackCommand;
import io.stoker.cli.remote.LoginCommand;
import io.stoker.cli.remote.LogoutCommand;
import io.stoker.cli.remote.LogsCommand;
import io.stoker.cli.remote.ProjectCommand;
import io.stoker.cli.remote.RunsCommand;
import io.stoker.cli.remote.SecretCommand;
import io.stoker.cli.remote.StatusCommand;
import io.stoker.cli.remote.TestsCommand;
import io.stoker.cli.remote.TokenCommand;
import io.stoker.cli.remote.RerunCommand;
import io.stoker.cli.remote.TriggerCommand;
import io.stoker.cli.remote.UserCommand;
import io.stoker.cli.server.ServerCommand;
import picocli.CommandLine.Command;

/** The top-level command; each verb is a subcommand. */
@Command(name = "stoker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Stoker: a self-hosted CI/CD server.",
                "Jobfiles (a Groovy DSL, or YAML/JSON) compile into validated task graphs that run locally with the "
                        + "same semantics as on the server."},
        subcommands = {ValidateCommand.class, GraphCommand.class, RunCommand.class, ServerCommand.class,
                ProjectCommand.class, JobsCommand.class, TriggerCommand.class, RerunCommand.class, RunsCommand.class, StatusCommand.class,
                LogsCommand.class, CancelCommand.class, ApproveCommand.class, RejectCommand.class, ArtifactsCommand.class, TestsCommand.class, SecretCommand.class, AgentCommand.class,
                LoginCommand.class, LogoutCommand.class, UserCommand.class, TokenCommand.class, ListCommand.class,
                VersionsCommand.class, DeployCommand.class, RollbackCommand.class, DeploymentsCommand.class, TargetsCommand.class, CachesCommand.class,
                ClusterCommand.class, io.stoker.cli.store.StoreCommand.class, CompletionCommand.class, InstallCommand.class},
        footer = {"", "Client commands (every command but validate, graph, run, server, store, completion and install) speak to a "
                + "server's REST API: --server URL, else $STOKER_SERVER, else the server of the "
                + "last 'stoker login', else " + HelpText.DEFAULT_SERVER + "; with --token, else $STOKER_TOKEN, else the token "
                + "'stoker login' saved; an https server's self-signed certificate is trusted with --ca-cert FILE or "
                + "$STOKER_CA_CERT.",
                "", "Exit codes: 0 success, 1 a run failed, 2 invalid Jobfile, parameter or option (or refused by the "
                + "server), 3 the server cannot be reached or failed.",
                "Run 'stoker COMMAND --help' for a command's options."})
public final class StokerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw CommandGroup.noCommand(spec);
    }
}
