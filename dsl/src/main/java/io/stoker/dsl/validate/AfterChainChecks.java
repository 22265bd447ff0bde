package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.JobfileDraft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code after 'job'} triggers across the Jobfile: the job followed is one of this Jobfile's (a project's jobs are
 * its Jobfile's, so another name never fires), not the job itself, and no chain of them comes back to where it
 * started — each run would start the next one for ever (the server cuts such a chain off after 20 runs).
 */
final class AfterChainChecks {
    private AfterChainChecks() {
    }

    static void check(JobfileDraft draft, Problems problems) {
        Set<String> names = new LinkedHashSet<>();
        for (JobDraft job : draft.jobs) if (job.name != null) names.add(job.name);
        // job → the jobs it runs after, in the Jobfile's order
        Map<String, List<String>> follows = new LinkedHashMap<>();
        for (JobDraft job : draft.jobs) {
            if (job.name == null) continue;
            for (JobDraft.AfterDraft after : job.afterTriggers) {
                String upstream = after.job();
                if (NameChecks.blank(upstream)) continue; // TriggerChecks says so
                if (upstream.equals(job.name)) {
                    problems.error(after.pos(), "job '" + job.name + "' runs after itself: each of its runs would start"
                            + " the next one");
                } else if (!names.contains(upstream)) {
                    Set<String> others = new LinkedHashSet<>(names);
                    others.remove(job.name);
                    problems.error(after.pos(), "after trigger follows no job of this Jobfile: '" + upstream + "'"
                            + DidYouMean.suffix(upstream, others));
                } else {
                    follows.computeIfAbsent(job.name, k -> new ArrayList<>()).add(upstream);
                }
            }
        }
        reportCycles(draft, follows, problems);
    }

    /** Each cycle once, at the after trigger of the first job in it (Jobfile order) that closes it. */
    private static void reportCycles(JobfileDraft draft, Map<String, List<String>> follows, Problems problems) {
        Set<String> reported = new LinkedHashSet<>();
        for (JobDraft job : draft.jobs) {
            if (job.name == null || reported.contains(job.name)) continue;
            List<String> path = cycleFrom(job.name, follows);
            if (path == null) continue;
            reported.addAll(path);
            JobDraft.AfterDraft closing = job.afterTriggers.stream()
                    .filter(a -> a.job() != null && a.job().equals(path.get(1))).findFirst().orElseThrow();
            // path runs against the trigger's direction (job ← upstream ← …): say it in the order runs start
            List<String> order = new ArrayList<>(path);
            java.util.Collections.reverse(order);
            problems.error(closing.pos(), "after triggers form a cycle: " + String.join(" → ", order)
                    + " (each run would start the next one)");
        }
    }

    /** A path start, upstream, …, start following after edges, or null when none comes back to start. */
    private static List<String> cycleFrom(String start, Map<String, List<String>> follows) {
        List<String> path = new ArrayList<>();
        path.add(start);
        return walk(start, start, follows, path, new LinkedHashSet<>()) ? path : null;
    }

    private static boolean walk(String start, String at, Map<String, List<String>> follows, List<String> path,
                                Set<String> seen) {
        for (String next : follows.getOrDefault(at, List.of())) {
            if (next.equals(start)) {
                path.add(next);
                return true;
            }
            if (!seen.add(next)) continue; // bounded: each job is entered once per start
            path.add(next);
            if (walk(start, next, follows, path, seen)) return true;
            path.removeLast();
        }
        return false;
    }
}
