package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent's labels and tools as the agent commands print them: in full ({@code show}, {@code install}) or as a
 * column of the list that a long install does not widen (the agent's name and the user's labels, then how many
 * automatic ones).
 */
final class AgentLabelsText {
    /** The widest the list's name and user labels get before they end in {@code …}. */
    static final int COLUMN_WIDTH = 40;

    private AgentLabelsText() {
    }

    /** The list's column: {@code builder1,docker +9 auto}, the name first since {@code agent 'builder1'} selects it. */
    static String column(JsonNode agent) {
        List<String> own = new ArrayList<>();
        own.add(agent.path("name").asText());
        // a label the same as the name is shown once: builder1,builder1 would read as a mistake
        userLabels(agent).stream().filter(l -> !own.contains(l)).forEach(own::add);
        String text = String.join(",", own);
        if (text.length() > COLUMN_WIDTH) text = text.substring(0, COLUMN_WIDTH - 1) + "…";
        int auto = strings(agent.path("automaticLabels")).size();
        return auto == 0 ? text : text + " +" + auto + " auto";
    }

    /** The labels the agent was given (a server without {@code userLabels} answers them as {@code labels}). */
    static List<String> userLabels(JsonNode agent) {
        return strings(agent.has("userLabels") ? agent.path("userLabels") : agent.path("labels"));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(l -> out.add(l.asText()));
        return out;
    }

    /**
     * The tools an install found, one a line: those that ran with their version, then those on the PATH that did not
     * run with the first line of their error (they get no {@code tool:} label).
     */
    static void tools(JsonNode facts, PrintWriter out) {
        facts.path("tools").properties().forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue().asText()));
        facts.path("toolsNotRunning").properties().forEach(e -> out.println("  " + e.getKey()
                + " found but did not run: " + e.getValue().asText() + " (no tool:" + e.getKey() + " label)"));
    }
}
