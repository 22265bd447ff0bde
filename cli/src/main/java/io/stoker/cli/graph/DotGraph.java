package io.stoker.cli.graph;

import io.stoker.model.Job;
import io.stoker.model.Task;

/** A job's graph in Graphviz DOT: solid edges for needs, bold labelled edges for stdout pipes. */
public final class DotGraph {
    private DotGraph() {
    }

    public static String render(Job job) {
        StringBuilder out = new StringBuilder();
        out.append("digraph ").append(quote(job.name())).append(" {\n");
        out.append("  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        for (Task t : job.tasks()) {
            out.append("  ").append(quote(t.name()));
            if (t.when() != null) out.append(" [xlabel=").append(quote("when " + t.when())).append(']');
            out.append(";\n");
        }
        for (Task t : job.tasks()) {
            for (String need : t.needs()) {
                out.append("  ").append(quote(need)).append(" -> ").append(quote(t.name())).append(";\n");
            }
            if (t.input() != null) {
                out.append("  ").append(quote(t.input())).append(" -> ").append(quote(t.name()))
                        .append(" [style=bold, color=\"#1f6feb\", label=\"stdout\"];\n");
            }
        }
        return out.append("}\n").toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
