package io.r2estream.connect.postgres;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells transient SQL errors (lost connection, deadlock, serialization failure, server shutting down or out of
 * resources, a concurrent CREATE TABLE) from errors of the data itself, by SQLSTATE.
 */
final class SqlErrors {

  /** SQLSTATE classes that are transient as a whole: connection, transaction rollback, resources, system errors. */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "58");
  /**
   * Single transient states: admin/crash shutdown, cannot connect now, lock not available, and the unique and
   * duplicate-table violations two tasks get when both run CREATE TABLE IF NOT EXISTS at once.
   */
  private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "55P03", "23505", "42P07",
      "42P06");

  private SqlErrors() {
  }

  /** Whether any error in the chain (next exceptions and causes) is transient. */
  static boolean isTransient(final SQLException e, final boolean duringDdl) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (transientOne(x, duringDdl)) {
        return true;
      }
      for (Throwable c = x.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
        if (c instanceof SQLException s && transientOne(s, duringDdl)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean transientOne(final SQLException x, final boolean duringDdl) {
    if (x instanceof SQLTransientException || x instanceof SQLRecoverableException) {
      return true;
    }
    final String state = x.getSQLState();
    if (state == null || state.length() < 2) {
      return false;
    }
    if (TRANSIENT_CLASSES.contains(state.substring(0, 2))) {
      return true;
    }
    // 23505 on a data row is a real constraint violation; only DDL races make it transient.
    return TRANSIENT_STATES.contains(state) && (duringDdl || !state.startsWith("23") && !state.startsWith("42"));
  }

  /** The message of the first error of a batch failure, which pgjdbc keeps in the next exception. */
  static String describe(final SQLException e) {
    final SQLException first = e.getNextException() != null ? e.getNextException() : e;
    return "SQLSTATE " + first.getSQLState() + ": " + first.getMessage();
  }
}
