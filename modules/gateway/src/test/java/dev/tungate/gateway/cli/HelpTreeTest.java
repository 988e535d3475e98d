package dev.tungate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand of the picocli tree, found by walking it (so a new subcommand is covered
 * without touching this test): {@code -h} and {@code --help} exit 0 and print a usage with an example,
 * in lines that fit 80 columns.
 */
class HelpTreeTest {
    /** The words that reach each command: [], [run], [ctl], [ctl, conns], ... */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), all);
        return all.stream();
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            path.add(e.getKey());
            walk(e.getValue(), path, into);
            path.remove(path.size() - 1);
        }
    }

    @ParameterizedTest(name = "tungate {0} --help")
    @MethodSource("commands")
    void helpExitsZeroWithUsageAndExample(List<String> command) {
        for (String flag : List.of("--help", "-h")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> args = new ArrayList<>(command);
            args.add(flag);
            int code = Main.execute(args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
            String usage = out.toString();
            String what = String.join(" ", args) + ":\n" + usage + err;
            assertEquals(0, code, what);
            assertEquals("", err.toString(), what);
            String name = String.join(" ", Stream.concat(Stream.of("tungate"), command.stream()).toList());
            assertTrue(usage.startsWith("Usage: " + name) || usage.contains("\nUsage: " + name), what);
            assertTrue(usage.contains("\nExamples:\n  "), "an example: " + what);
            assertTrue(usage.contains("-h, --help"), what);
            assertFalse(usage.lines().anyMatch(l -> l.length() > 80), "lines over 80 columns: " + what);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("the tree has the commands the README names")
    void treeIsComplete() {
        List<String> names = commands().map(c -> String.join(" ", c)).toList();
        assertTrue(names.containsAll(List.of("", "run", "exec", "demo", "ctl", "ctl conns", "ctl stats", "ctl capture",
                "help")), names.toString());
    }
}
