package io.stoker.server.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pull agents connected to one server of a cluster, as its row in {@code servers} keeps them: one line per
 * agent, its name, a tab and its labels separated by commas (names and labels hold neither).
 */
public record ConnectedAgents(Map<String, Set<String>> labelsByName) {
    public static final ConnectedAgents NONE = new ConnectedAgents(Map.of());

    public ConnectedAgents {
        labelsByName = java.util.Collections.unmodifiableMap(new TreeMap<>(labelsByName));
    }

    /** The agents' names, sorted. */
    public List<String> names() {
        return List.copyOf(labelsByName.keySet());
    }

    /** Each agent's labels (its name among them). */
    public List<Set<String>> labels() {
        return new ArrayList<>(labelsByName.values());
    }

    public String stored() {
        StringBuilder out = new StringBuilder();
        labelsByName.forEach((name, labels) -> out.append(name).append('\t').append(String.join(",", labels)).append('\n'));
        return out.toString();
    }

    /** Reads the stored form; null or empty is none. */
    public static ConnectedAgents parse(String stored) {
        if (stored == null || stored.isBlank()) return NONE;
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : stored.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) continue;
            Set<String> labels = new LinkedHashSet<>();
            Arrays.stream(line.substring(tab + 1).split(",")).filter(l -> !l.isEmpty()).forEach(labels::add);
            labels.add(line.substring(0, tab));
            out.put(line.substring(0, tab), labels);
        }
        return new ConnectedAgents(out);
    }
}
