package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stoker project member}: who may change a project, over {@code /projects/{p}/members}. */
@Command(name = "member", aliases = "members", mixinStandardHelpOptions = true,
        description = {"Manage a project's members: the developers who may change it, trigger and cancel its runs and"
                + " set its secrets.",
                "Members and admins may add and remove members; anyone may list them."},
        subcommands = {ProjectMemberCommand.Add.class, ProjectMemberCommand.Remove.class, ProjectMemberCommand.ListMembers.class},
        footer = {"", "Examples:",
                "  stoker project member add web dave",
                "  stoker project member list web"})
public final class ProjectMemberCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }

    static String path(String project, String user) {
        return "/projects/" + StokerClient.segment(project) + "/members" + (user == null ? "" : "/" + StokerClient.segment(user));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Make a user a member of a project.",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class Add extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "PROJECT") String project;
        @Parameters(index = "1", paramLabel = "USER") String user;

        @Override
        int call(StokerClient client) {
            client.put(path(project, user), null);
            out().println("added " + user + " to project " + project);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a user out of a project's members.",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class Remove extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "PROJECT") String project;
        @Parameters(index = "1", paramLabel = "USER") String user;

        @Override
        int call(StokerClient client) {
            client.delete(path(project, user));
            out().println("removed " + user + " from project " + project);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a project's members, one a line.",
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class ListMembers extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "PROJECT") String project;

        @Override
        int call(StokerClient client) {
            for (JsonNode m : client.get(path(project, null)).path("members")) out().println(m.asText());
            return 0;
        }
    }
}
