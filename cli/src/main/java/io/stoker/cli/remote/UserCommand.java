package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


/** {@code stoker user}: people management on the server (admins; {@code passwd} also for yourself). */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the server's users: add, list, remove, disable, enable, change role or password.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Remove.class,
                UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Passwd.class, UserCommand.SetRole.class},
        footer = {"", "Roles: admin (everything), developer (projects they are members of, their jobs and runs), "
                + "viewer (reads). Passwords have at least 12 characters."})
public final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw io.stoker.cli.CommandGroup.noCommand(spec);
    }

    /** The server's role names, so the CLI refuses what the server would before it asks for a password. */
    static final java.util.List<String> ROLES = java.util.List.of(io.stoker.server.auth.Role.values()).reversed()
            .stream().map(io.stoker.server.auth.Users::roleName).toList();

    /** Refuses {@code role} unless it names a role; {@code what} names where it was given (--role, ROLE). */
    static void checkRole(String what, String role) {
        if (!ROLES.contains(role)) {
            throw CliException.usage(what + " must be " + String.join(", ", ROLES.subList(0, ROLES.size() - 1))
                    + " or " + ROLES.getLast() + ", not '" + role + "'");
        }
    }

    static String password(boolean stdin, String prompt) {
        return stdin ? LoginCommand.Passwords.stdinLine("password") : LoginCommand.Passwords.prompt(prompt);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Add extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, developer or viewer") String role;
        @Option(names = "--password-stdin", description = "read the password from the first line of stdin") boolean stdin;

        @Override
        int call(StokerClient client) {
            // what the server would refuse is said before the password is asked for, not after it was typed
            checkRole("--role", role);
            if (!io.stoker.server.auth.Users.NAME.matcher(name).matches()) {
                throw CliException.usage("NAME must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting"
                        + " with a letter or digit, not '" + name + "'");
            }
            String pw = password(stdin, "Password for the new user " + name + ": ");
            JsonNode u = client.post("/users", StokerClient.map("username", name, "password", pw, "role", role));
            out().println("added user " + u.path("username").asText() + " (" + u.path("role").asText() + ")");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class ListUsers extends RemoteCommand {
        @Override
        int call(StokerClient client) {
            Table t = new Table("NAME", "ROLE", "ENABLED", "CREATED");
            for (JsonNode u : client.get("/users")) {
                t.row(u.path("username").asText(), u.path("role").asText(),
                        u.path("enabled").asBoolean() ? "yes" : "no", InstantText.of(u.path("createdAt")));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user with their tokens.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Remove extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int call(StokerClient client) {
            client.delete("/users/" + StokerClient.segment(name));
            out().println("removed user " + name);
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a user: their tokens stop working at once.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Disable extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int call(StokerClient client) {
            client.post("/users/" + StokerClient.segment(name) + "/disable", null);
            out().println("disabled user " + name);
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class Enable extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int call(StokerClient client) {
            client.post("/users/" + StokerClient.segment(name) + "/enable", null);
            out().println("enabled user " + name);
            return 0;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true, description = "Change a user's role.", footer = {"", RemoteCommand.EXIT_CODES})
    static final class SetRole extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "ROLE", description = "admin, developer or viewer") String role;

        @Override
        int call(StokerClient client) {
            checkRole("ROLE", role);
            JsonNode u = client.put("/users/" + StokerClient.segment(name) + "/role", StokerClient.map("role", role));
            out().println("user " + name + " is now " + u.path("role").asText());
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = {"Change a password: your own (asks for the current one first) or, as an admin, anyone's.",
                    "Ends that user's sessions; API tokens keep working."},
            footer = {"", RemoteCommand.EXIT_CODES})
    static final class Passwd extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--password-stdin", description = "read from stdin: for your own password the current one "
                + "on the first line and the new one on the second; else the new one") boolean stdin;

        @Override
        int call(StokerClient client) {
            boolean self = client.get("/me").path("username").asText().equals(name);
            String old = self ? password(stdin, "Current password: ") : null;
            String pw = password(stdin, "New password for " + name + ": ");
            if (!stdin && !pw.equals(LoginCommand.Passwords.prompt("Again: "))) {
                throw CliException.invalid("the two passwords differ; nothing changed");
            }
            client.put("/users/" + StokerClient.segment(name) + "/password", StokerClient.map("password", pw, "oldPassword", old));
            out().println("changed the password of " + name);
            return 0;
        }
    }
}
