package dev.tollgate.tools.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Where PostgreSQL's share of a run goes, statement by statement ({@code pg_stat_statements}). Off by
 * default, since tracking costs a little itself: {@code BENCH_PGSTAT=1 bench/webhook-bench.sh} turns it on.
 */
final class StatementStats {

    static final boolean ENABLED = System.getenv("BENCH_PGSTAT") != null;

    private StatementStats() {
    }

    /** Starts counting afresh (the extension goes with the schema each scenario drops). */
    static void reset(EmbeddedPostgres postgres) throws SQLException {
        if (!ENABLED) {
            return;
        }
        try (Connection c = BenchDatabase.connect(postgres); Statement statement = c.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("select pg_stat_statements_reset()");
        }
    }

    /** The statements that took the most time since the reset. */
    static void print(EmbeddedPostgres postgres, int top) throws SQLException {
        if (!ENABLED) {
            return;
        }
        try (Connection c = BenchDatabase.connect(postgres);
                Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("select total_exec_time, calls, rows,"
                        + " left(regexp_replace(query, '\\s+', ' ', 'g'), 150) from pg_stat_statements"
                        + " order by total_exec_time desc limit " + top)) {
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "  pg %7.0f ms %7d calls %8d rows  %s%n", rs.getDouble(1), rs.getLong(2),
                        rs.getLong(3), rs.getString(4));
            }
        }
    }
}
