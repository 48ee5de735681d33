package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.feed.Feed;
import io.fleetcore.store.Database;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fleetcore feed list} and {@code fleetcore feed reset NAME --from ISO}: where each feed stands, and
 * replaying a feed from a storage time. Talks to the database of the FLEETCORE_DB_* settings; works while
 * fleetcore runs (a reset waits for the batch in flight, then the feed continues from the new position).
 */
@Command(name = "feed", mixinStandardHelpOptions = true,
        description = "Feeds of stored records and events to applications.",
        subcommands = {FeedCommand.ListFeeds.class, FeedCommand.ResetFeed.class})
public final class FeedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows every feed: position, rows delivered, lag in rows and seconds, last error.")
    static final class ListFeeds implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Database db = Database.start(FleetcoreConfig.load())) {
                list(db.dataSource(), spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Replays a feed: its next batch starts with the first row STORED (records.received_at, "
                    + "events.created_at) at or after --from; the destination receives those rows again.")
    static final class ResetFeed implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "the feed, as in 'feed list'")
        String name;

        @Option(names = "--from", required = true, paramLabel = "ISO",
                description = "storage time, ISO-8601 UTC, e.g. 2026-11-01T00:00:00Z")
        String from;

        @Override
        public Integer call() throws Exception {
            Instant at;
            try {
                at = Instant.parse(from);
            } catch (DateTimeParseException e) {
                spec.commandLine().getErr().println("feed reset: --from must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not '" + from + "'");
                return 2;
            }
            try (Database db = Database.start(FleetcoreConfig.load())) {
                return reset(db.dataSource(), name, at, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }
    }

    /** Prints one line per feed. */
    public static void list(DataSource dataSource, PrintWriter out) throws SQLException {
        List<Feed.Status> feeds;
        try (Connection c = dataSource.getConnection()) {
            feeds = Feed.list(c);
        }
        out.printf("%-20s %-8s %12s %12s %12s %10s  %s%n", "FEED", "SOURCE", "POSITION", "DELIVERED", "LAG_RECORDS",
                "LAG_S", "LAST_ERROR");
        for (Feed.Status s : feeds) {
            out.printf("%-20s %-8s %12d %12d %12d %10d  %s%n", s.feed(), s.source(), s.position(), s.delivered(),
                    s.lagRecords(), s.lag().toSeconds(),
                    s.lastError() == null ? "-" : s.lastErrorAt() + " " + s.lastError());
        }
        out.printf("%d feed(s)%n", feeds.size());
        out.flush();
    }

    /** Moves the cursor; 0 when done, 1 when there is no such feed. */
    public static int reset(DataSource dataSource, String name, Instant from, PrintWriter out, PrintWriter err) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long position = Feed.reset(c, name, from);
            out.printf("feed %s: replays from the first row stored at or after %s (position %d)%n", name, from, position);
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("feed reset: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
