package dev.tollgate.tools.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The benchmarks' plain JDBC access to their embedded PostgreSQL: set-up, checks, clean-up. */
final class BenchDatabase {

    private BenchDatabase() {
    }

    /**
     * An embedded PostgreSQL that is as durable as a production one. The embedded builder's defaults turn
     * fsync and synchronous_commit off (fine for tests, where nothing must survive); a benchmark of an
     * endpoint that acknowledges only durable events must pay for the WAL flush its commits wait for.
     */
    static EmbeddedPostgres startDurable() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        if (StatementStats.ENABLED) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        EmbeddedPostgres postgres = builder.start();
        try (Connection c = connect(postgres)) {
            if (!"on".equals(setting(c, "fsync")) || !"on".equals(setting(c, "synchronous_commit"))) {
                postgres.close();
                throw new IllegalStateException("The benchmark database is not durable; see BenchDatabase");
            }
        } catch (SQLException e) {
            postgres.close();
            throw new IOException(e);
        }
        return postgres;
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** An empty database: the service migrates it again when it starts. */
    static void reset(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = connect(postgres)) {
            c.createStatement().execute("drop schema public cascade; create schema public");
        }
    }

    /** The first column of the first row, as a number (a count, a sum, a balance). */
    static long number(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection c = connect(postgres)) {
            return number(c, sql);
        }
    }

    /** The same, on a connection the caller holds. */
    static long number(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(EmbeddedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
    }
}
