package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.ConfigException;
import dev.tungate.gateway.ctl.CtlCommand;
import dev.tungate.tun.NetlinkException;
import dev.tungate.tun.NetnsException;
import dev.tungate.tun.TunException;
import java.io.PrintWriter;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * {@code tungate}: the command line. Exit codes: 0 success, 2 bad input (options, config, a
 * missing namespace, a busy device name) reported as one line naming what was wrong and what was
 * expected, 1 anything else (one line; the stack trace only at DEBUG).
 */
@Command(name = "tungate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A userspace TCP/IP gateway for Linux network namespaces.",
        subcommands = {RunCommand.class, ExecCommand.class, DemoCommand.class, CtlCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::badParameters);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> failed(ex, line.getErr()));
        return cl.execute(args);
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

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tungate " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
