package io.stoker.cli.remote;

import io.stoker.cli.CliException;
import io.stoker.cli.local.JobfileSource;
import io.stoker.dsl.JobfileCompiler;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What {@code project add} and {@code project update} are given: the project's name and where its Jobfile is. */
abstract class ProjectSourceCommand extends RemoteCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the project's name")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GIT_URL",
            description = "the repository URL, as with --git (with --branch and --credentials as there)")
    String gitUrl;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Git git;

        @Option(names = "--jobfile", paramLabel = "FILE", required = true,
                description = "a local Jobfile (Groovy, .yaml or .json), a directory holding one, or - to read it "
                        + "from stdin (its syntax told by its start, as for validate -), to store on the server")
        Path jobfile;
    }

    /** --git with its --branch and --credentials; the URL may come as GIT_URL instead (or on update not at all). */
    static final class Git {
        @Option(names = "--git", paramLabel = "URL",
                description = "the repository URL (https, ssh or file) the server fetches")
        String url;

        @Option(names = "--branch", paramLabel = "BRANCH",
                description = "the branch to build (default on add: the repository's HEAD; on update: the project's branch)")
        String branch;

        @Option(names = "--credentials", paramLabel = "NAME",
                description = "for a private repository: the name of a secret holding username:token "
                        + "(stoker secret set NAME; a global secret for the first fetch)")
        String credentials;
    }

    /**
     * A path given where a repository URL goes that is a Jobfile, or a folder with one that is no git repository:
     * the server would try to fetch it as a repository and fail with git's words.
     */
    private static void refuseLocalJobfile(String url) {
        Path path;
        try {
            path = Path.of(url);
        } catch (java.nio.file.InvalidPathException e) {
            return;
        }
        boolean repository = Files.exists(path.resolve(".git")) || Files.isRegularFile(path.resolve("HEAD"));
        if (Files.isRegularFile(path)
                || Files.isDirectory(path) && !repository && JobfileCompiler.find(path.toAbsolutePath()).isPresent()) {
            throw CliException.usage("'" + url + "' is a Jobfile here, not a git repository: store its text with "
                    + "--jobfile " + url + " (or give a repository's URL)");
        }
    }

    /** The local Jobfile's own name and the one it is sent under, once {@link #body} read a local Jobfile. */
    private String localName;
    private String sentName;

    /** The request body for the project's source; a refusal unless exactly one source was given. */
    Object body() {
        Git git = source == null ? null : source.git;
        boolean urlOption = git != null && git.url != null;
        if (gitUrl != null && (urlOption || source != null && source.jobfile != null)) {
            throw CliException.usage("give the project's source once: GIT_URL, --git URL or --jobfile FILE");
        }
        if (gitUrl != null || urlOption) {
            if (!urlOption) refuseLocalJobfile(gitUrl);
            String url = urlOption ? git.url : gitUrl;
            return git == null ? StokerClient.map("name", name, "gitUrl", url)
                    : StokerClient.map("name", name, "gitUrl", url, "branch", git.branch, "credentials", git.credentials);
        }
        if (git != null) return withoutUrl(git.branch != null ? "--branch" : "--credentials", git.branch, git.credentials);
        if (source == null) {
            throw CliException.usage("give the project's source once: GIT_URL, --git URL or --jobfile FILE");
        }
        // a directory as with validate and run: its Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json
        JobfileSource file = JobfileSource.locateOrStdin(source.jobfile, System.in);
        String text = file.text();
        if (Files.isDirectory(source.jobfile)) noteFilesLeftBehind(file.path());
        // the server takes the four Jobfile names only (the name picks the syntax): ci.yaml goes as Jobfile.yaml,
        // and the diagnostics it answers with are named after the local file again (see jobfileNamed)
        localName = file.fileName();
        sentName = JobfileCompiler.NAMES.contains(localName) ? localName
                : JobfileCompiler.Syntax.of(localName).fileName();
        return StokerClient.map("name", name, "jobfile", text, "file", sentName);
    }

    /**
     * A folder given as the source reads as "this folder", but a freestyle project stores the Jobfile's text only and
     * its runs start in an empty workspace: the scripts beside it would be missing from every run, found only when
     * one fails. Said once, on stderr, with the way to build with them.
     */
    private void noteFilesLeftBehind(Path jobfile) {
        Path dir = jobfile.getParent();
        List<String> others;
        try (Stream<Path> entries = Files.list(dir)) {
            others = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.equals(jobfile.getFileName().toString()))
                    .sorted().toList();
        } catch (java.io.IOException | RuntimeException e) {
            return; // only a note: the Jobfile itself was read
        }
        if (others.isEmpty()) return;
        String shown = String.join(", ", others.subList(0, Math.min(3, others.size())))
                + (others.size() > 3 ? ", … (" + others.size() + " in all)" : "");
        boolean repository = Files.exists(dir.resolve(".git"));
        err().println("stoker: note: only " + jobfile.getFileName() + "'s text is stored; what is beside it in "
                + source.jobfile + " (" + shown + ") is not sent, and this project's runs start in an empty workspace"
                + (repository ? "; to build with those files, add the repository instead: --git "
                        + dir.toAbsolutePath().normalize().toUri()
                        : "; to build with those files, commit them to a git repository and use --git URL"));
    }

    /**
     * The body for {@code --branch} or {@code --credentials} given without a repository URL ({@code option} names the
     * first of them): {@code add} refuses it, {@code update} changes only those of a git project.
     */
    abstract Object withoutUrl(String option, String branch, String credentials);

    /** A refusal whose {@code Jobfile.yaml:3:5: …} diagnostics name the local file, e.g. {@code ci.yaml:3:5: …}. */
    ApiError jobfileNamed(ApiError e) {
        return localName == null || localName.equals(sentName) ? e
                : e.withDetailPrefix(sentName + ":", localName + ":");
    }
}
