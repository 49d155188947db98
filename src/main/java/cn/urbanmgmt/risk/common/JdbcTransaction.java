package cn.urbanmgmt.risk.common;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One transaction on one plain JDBC connection, for the measured hot paths that write with JDBC (plans, their
 * visits and the public register): commit when the work returns, roll back on any failure, and turn SQL and I/O
 * failures into an unchecked error that says what was being done.
 */
public final class JdbcTransaction {

    /** Work done on the transaction's connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private JdbcTransaction() {
    }

    /** Runs {@code work} in one transaction; {@code what} names it in the error ("storing the plan"). */
    public static <T> T run(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }
}
