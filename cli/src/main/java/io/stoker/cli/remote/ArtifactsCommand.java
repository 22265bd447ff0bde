package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code stoker artifacts}: lists a run's artifact zips, or downloads them. */
@Command(name = "artifacts", mixinStandardHelpOptions = true,
        description = {"List a run's artifacts, or download them.",
                "There is one zip per task that collected artifacts: by default a task that succeeded, and one that "
                        + "failed too when its Jobfile says artifacts …, when: 'always' (or 'on-failure'). --download DIR "
                        + "saves each task's zip in DIR, or with --tar the whole run as one .tar.gz."},
        footer = {"", RemoteCommand.EXIT_CODES})
public final class ArtifactsCommand extends RemoteCommand {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "RUN", description = RunRef.DESCRIPTION)
    String key;

    @Option(names = "--download", paramLabel = "DIR", description = "download into DIR (created when missing)")
    Path dir;

    @Option(names = "--tar", description = "with --download: one <KEY>-artifacts.tar.gz instead of a zip per task")
    boolean tar;

    @Override
    int call(StokerClient client) {
        if (tar && dir == null) throw CliException.usage("--tar needs --download DIR");
        key = RunRef.key(client, key);
        String run = "/runs/" + StokerClient.segment(key);
        JsonNode list = client.get(run + "/artifacts");
        if (list.isEmpty()) {
            // said before DIR is made: an empty directory, or a .tar.gz of nothing, would read as a download
            out().println("run " + key + " has no artifacts" + (dir == null ? "" : "; nothing downloaded"));
            return 0;
        }
        if (dir == null) {
            Table t = new Table("TASK", "FILE", "SIZE", "PUBLISHED");
            for (JsonNode a : list) {
                t.row(a.path("task").asText(), a.path("file").asText(), a.path("size").asText(),
                        a.path("published").asBoolean() ? "yes" : "no (the run did not succeed)");
            }
            t.print(out());
            return 0;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw CliException.invalid("cannot download into " + dir + ": " + io.stoker.cli.FileProblem.directoryReason(dir, e));
        }
        if (tar) {
            Path target = dir.resolve(key + "-artifacts.tar.gz");
            long n = client.download(run + "/artifacts.tar.gz", target);
            out().println(target + " (" + n + " bytes)");
            return 0;
        }
        for (JsonNode a : list) {
            String file = a.path("file").asText();
            // the server names files after tasks; keep only the last segment so nothing lands outside DIR
            Path target = dir.resolve(Path.of(file).getFileName().toString());
            long n = client.download(run + "/artifacts/" + StokerClient.segment(file), target);
            out().println(target + " (" + n + " bytes)");
        }
        return 0;
    }
}
