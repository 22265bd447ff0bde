package io.stoker.dsl.yaml;

import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recognises a whole file of another tool (GitLab CI, GitHub Actions, Woodpecker or Drone) given as a Jobfile: one
 * message naming the tool and a Stoker Jobfile's top level says more than an "unknown key" for each of its keys.
 */
final class ForeignFile {
    /** A Stoker YAML Jobfile's top level, in one line. */
    static final String SHAPE = "a Stoker YAML Jobfile's top level is jobs: {NAME: {tasks: {NAME: {sh: …}}}} (and deploy:);"
            + " see docs/jobfile-yaml.md";
    private static final Set<String> STOKER_TOP = Set.of("jobs", "deploy");

    /** The message and where it points: the first key that gave the tool away. */
    record Recognised(String message, Pos pos) {
    }

    private record Clue(String key, Pos pos) {
    }

    private ForeignFile() {
    }

    static Optional<Recognised> recognise(Node root) {
        if (!(root instanceof Node.Mapping top)) return Optional.empty();
        var entries = top.entries();
        // GitHub Actions shares jobs: with Stoker; on: at the top or runs-on: in a job tells it apart
        var clues = new ArrayList<Clue>();
        topKey(entries, "on").ifPresent(clues::add);
        value(entries, "jobs").filter(Node.Mapping.class::isInstance).ifPresent(jobs -> ((Node.Mapping) jobs).entries()
                .values().stream().flatMap(job -> key(job, "runs-on").stream()).findFirst().ifPresent(clues::add));
        if (!clues.isEmpty()) return told("a GitHub Actions workflow", clues);
        topKey(entries, "steps").ifPresent(clues::add);
        topKey(entries, "pipeline").ifPresent(clues::add);
        if (!clues.isEmpty()) return told("a Woodpecker or Drone file", clues);
        // GitLab CI: stages:, or a top-level job with script: (then image: at the top says the same)
        topKey(entries, "stages").ifPresent(clues::add);
        entries.entrySet().stream().filter(e -> !STOKER_TOP.contains(e.getKey().name()))
                .flatMap(e -> key(e.getValue(), "script").stream()).findFirst().ifPresent(clues::add);
        if (!clues.isEmpty()) {
            topKey(entries, "image").ifPresent(clues::add);
            return told("a GitLab CI file", clues);
        }
        return Optional.empty();
    }

    private static Optional<Recognised> told(String what, List<Clue> clues) {
        clues.sort(Comparator.comparing((Clue c) -> c.pos().line()).thenComparing(c -> c.pos().col()));
        String keys = clues.stream().map(c -> c.key() + ":").collect(Collectors.joining(", "));
        return Optional.of(new Recognised("this looks like " + what + " (" + keys + "); " + SHAPE, clues.getFirst().pos()));
    }

    private static Optional<Clue> topKey(Map<Node.Key, Node> entries, String name) {
        return entries.keySet().stream().filter(k -> k.name().equals(name)).findFirst().map(k -> new Clue(name, k.pos()));
    }

    private static Optional<Node> value(Map<Node.Key, Node> entries, String name) {
        return entries.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst().map(Map.Entry::getValue);
    }

    private static Optional<Clue> key(Node node, String name) {
        return node instanceof Node.Mapping m ? topKey(m.entries(), name) : Optional.empty();
    }
}
