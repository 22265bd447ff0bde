package io.stoker.cli;

import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which options of a command's mutually exclusive group the user typed together. Picocli's own message dumps the
 * group's structure ("expected only one match but got [--jobfile=FILE | [--git=URL …]]={--git=…} and …") and its
 * exception names no option, so the options are found again in the arguments.
 */
final class ExclusiveOptions {
    private ExclusiveOptions() {
    }

    /**
     * E.g. {@code --git and --jobfile cannot be used together}, or {@code --jobfile can be given only once}; empty
     * when no exclusive group of {@code command} explains the arguments.
     */
    static String conflict(CommandSpec command, String[] args) {
        List<String> typed = typedOptions(args);
        for (ArgGroupSpec group : exclusiveGroups(command.argGroups(), new ArrayList<>())) {
            // a member is an option of the group or a whole subgroup (--git with its --branch)
            Map<Object, List<String>> members = new LinkedHashMap<>();
            for (String name : typed) {
                Object member = memberOf(group, name);
                if (member != null) members.computeIfAbsent(member, m -> new ArrayList<>()).add(name);
            }
            List<List<String>> given = List.copyOf(members.values());
            if (given.size() >= 2) {
                return given.get(0).get(0) + " and " + given.get(1).get(0) + " cannot be used together";
            }
            if (given.size() == 1) {
                List<String> names = given.get(0);
                String repeated = names.stream().filter(n -> names.indexOf(n) != names.lastIndexOf(n)).findFirst()
                        .orElse(null);
                if (repeated != null) return repeated + " can be given only once";
            }
        }
        return "";
    }

    /**
     * E.g. {@code give --host-key or --trust-on-first-use}: a required exclusive group of which nothing was typed
     * (picocli: "Missing required argument (specify one of these): (--host-key=SHA256:… | --trust-on-first-use)");
     * empty when every required group was given.
     */
    static String missing(CommandSpec command, String[] args) {
        List<String> typed = typedOptions(args);
        for (ArgGroupSpec group : exclusiveGroups(command.argGroups(), new ArrayList<>())) {
            if (group.multiplicity().min() < 1 || typed.stream().anyMatch(name -> memberOf(group, name) != null)) continue;
            List<String> choices = new ArrayList<>();
            group.options().forEach(o -> choices.add(o.longestName()));
            group.subgroups().forEach(sub -> sub.requiredArgs().stream().filter(OptionSpec.class::isInstance)
                    .findFirst().ifPresent(o -> choices.add(((OptionSpec) o).longestName())));
            if (choices.size() < 2) continue;
            return "give " + String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.getLast();
        }
        return "";
    }

    private static List<ArgGroupSpec> exclusiveGroups(List<ArgGroupSpec> groups, List<ArgGroupSpec> found) {
        for (ArgGroupSpec g : groups) {
            if (g.exclusive()) found.add(g);
            exclusiveGroups(g.subgroups(), found);
        }
        return found;
    }

    /** The group's option or subgroup that has an option named {@code name}, else null. */
    private static Object memberOf(ArgGroupSpec group, String name) {
        for (OptionSpec o : group.options()) {
            if (List.of(o.names()).contains(name)) return o;
        }
        for (ArgGroupSpec sub : group.subgroups()) {
            if (sub.allOptionsNested().stream().anyMatch(o -> List.of(o.names()).contains(name))) return sub;
        }
        return null;
    }

    /** The option names in {@code args} in their order ({@code --git=URL} as {@code --git}), up to {@code --}. */
    static List<String> typedOptions(String[] args) {
        List<String> names = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--")) break;
            if (a.startsWith("-")) names.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
        }
        return names;
    }
}
