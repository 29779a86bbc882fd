package dev.bbr.cli;

/** Process entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = BbrCli.run(args, System.getenv(), System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }
}
