package io.stoker.cli;

import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Paths and URLs that {@code --help} keeps on one line. Picocli wraps with {@link java.text.BreakIterator}, which
 * may break after a '.', '/' or ':' ({@code ~/.⏎config}, {@code .⏎git}, {@code http:⏎//127.0.0.1}); a
 * {@link #GLUE} there forbids the break, and the help printer removes it again. A {@code %n} instead would start
 * the rest at the column's edge, without the indent of a wrapped line.
 */
public final class HelpText {
    /** U+FEFF, the zero-width no-break space: the line breaker never breaks beside it. */
    public static final String GLUE = "\uFEFF";

    /** {@code http://127.0.0.1:8080}, the default server, unbroken. */
    public static final String DEFAULT_SERVER = "http:" + GLUE + "//" + GLUE + "127." + GLUE + "0." + GLUE + "0." + GLUE
            + "1:" + GLUE + "8080";

    private HelpText() {
    }

    /** Makes every command's help, {@code root}'s and its subcommands', print without the glue. */
    static void printWithoutGlue(CommandLine root) {
        printWithoutGlue(root, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void printWithoutGlue(CommandLine command, Set<CommandLine> done) {
        if (!done.add(command)) return; // an alias maps to the same command line
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
        command.getHelpSectionMap().forEach((key, section) -> sections.put(key,
                help -> section.render(help).replace(GLUE, "")));
        command.setHelpSectionMap(sections);
        command.getSubcommands().values().forEach(sub -> printWithoutGlue(sub, done));
    }
}
