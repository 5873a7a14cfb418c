package dev.tollgate.tools.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The benchmarks' plain JDBC access to their embedded PostgreSQL: set-up, checks, clean-up. */
final class BenchDatabase {

    private BenchDatabase() {
    }

    /** An empty database: the service migrates it again when it starts. */
    static void reset(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = connect(postgres)) {
            c.createStatement().execute("drop schema public cascade; create schema public");
        }
    }

    /** The first column of the first row, as a number (a count, a sum, a balance). */
    static long number(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection c = connect(postgres); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(EmbeddedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
    }
}
