package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.ConfigException;
import dev.tungate.gateway.ctl.CtlCommand;
import dev.tungate.tun.NetlinkException;
import dev.tungate.tun.NetnsException;
import dev.tungate.tun.TunException;
import java.io.PrintWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code tungate}: the command line. Exit codes: 0 success, 2 bad input (options, config, a
 * missing namespace, a busy device name) reported as one line naming what was wrong and what was
 * expected, 1 anything else (one line; the stack trace only at DEBUG).
 */
@Command(name = "tungate", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        // INHERIT: -h/--help and -V/--version (and the log options of LogOptions) on every subcommand too.
        scope = ScopeType.INHERIT,
        description = "A userspace TCP/IP gateway for Linux network namespaces: a TUN device in the namespace, "
                + "its TCP terminated in tungate's own stack and relayed through host sockets.",
        footerHeading = "%nExamples:%n",
        footer = {"  tungate exec -- curl http://10.0.2.2:8080/     run curl in a fresh namespace",
                "  tungate run --netns box                       serve the existing namespace 'box'",
                "  tungate ctl conns                             list the running gateway's connections",
                "  tungate help run                              the options of one command"},
        subcommands = {RunCommand.class, ExecCommand.class, DemoCommand.class, CtlCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LogOptions logging;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::badParameters);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> failed(ex, line.getErr()));
        cl.setExecutionStrategy(parsed -> {
            try {
                main.logging.apply(defaultLevel(parsed));
            } catch (UsageError e) {
                return failed(e, cl.getErr());
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    /** run is a daemon and logs its start and stop; everything else is quiet unless something goes wrong. */
    static Level defaultLevel(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        Object leaf = chain.get(chain.size() - 1).getCommand();
        return leaf instanceof RunCommand ? Level.INFO : Level.WARN;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: expected one of run, exec, demo, ctl");
    }

    /** picocli's message already names the option; add what to do next, on the same line. */
    private static int badParameters(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String cmd = cl.getCommandSpec().qualifiedName();
        String message = ex.getMessage();
        // A misspelt option also makes a required one look missing; the misspelling is the news.
        CommandLine.ParseResult parsed = cl.getParseResult();
        if (ex instanceof CommandLine.MissingParameterException && parsed != null && !parsed.unmatched().isEmpty()) {
            String first = parsed.unmatched().get(0);
            message = (first.startsWith("-") ? "Unknown option: '" : "Unexpected argument: '") + first + "'";
        }
        cl.getErr().println("tungate: " + message + " (see '" + cmd + " --help')");
        return EXIT_USAGE;
    }

    static int failed(Exception ex, PrintWriter err) {
        if (ex instanceof UsageError || ex instanceof NetnsException || ex instanceof TunException
                || ex instanceof ConfigException) {
            err.println("tungate: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (ex instanceof NetlinkException) {
            err.println("tungate: configuring the device failed: " + ex.getMessage());
            return EXIT_FAILURE;
        }
        err.println("tungate: " + ex);
        LogManager.getLogger(Main.class).debug("failure", ex);
        return EXIT_FAILURE;
    }
}
