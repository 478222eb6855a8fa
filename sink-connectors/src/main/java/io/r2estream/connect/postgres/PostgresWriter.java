package io.r2estream.connect.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of {@link SinkOp}s to PostgreSQL: creates tables and adds the columns a newer schema brings (DDL,
 * committed on its own), then runs the whole batch as JDBC batches in one transaction. When the transaction fails for
 * the data rather than for a transient reason, it is replayed op by op under savepoints so that only the guilty
 * records are handed back as failures and every other record is still written.
 */
final class PostgresWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);

  /** A record that cannot be written, and why. */
  record Failure(SinkRecord record, Exception error) {
  }

  private final PostgresSinkConfig config;
  /** Columns of the tables known to exist; cleared after any error so that the database is asked again. */
  private final Map<TableName, Set<String>> tableColumns = new HashMap<>();
  private final Set<TableLayout> ensured = Collections.newSetFromMap(new IdentityHashMap<>());
  private Connection connection;

  PostgresWriter(final PostgresSinkConfig config) {
    this.config = config;
  }

  /**
   * Writes the ops in order in one transaction.
   *
   * @return the ops' records that could not be written for their data (for the dead-letter topic)
   * @throws SQLException a transient error (or one the batch could not be split on); nothing was committed
   */
  List<Failure> write(final List<SinkOp> ops) throws SQLException {
    final List<Failure> failures = new ArrayList<>();
    if (ops.isEmpty()) {
      return failures;
    }
    final Connection c = connection();
    final List<SinkOp> runnable = prepareTables(c, ops, failures);
    c.setAutoCommit(false);
    try {
      runBatched(c, runnable);
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      forgetTables();
      if (SqlErrors.isTransient(e, false)) {
        throw e;
      }
      LOG.info("batch of {} failed ({}); replaying it record by record to isolate the bad ones", runnable.size(),
          SqlErrors.describe(e));
      failures.addAll(replayOneByOne(c, runnable));
    }
    return failures;
  }

  /** Runs the DDL the ops need; ops whose table cannot be prepared for their data become failures. */
  private List<SinkOp> prepareTables(final Connection c, final List<SinkOp> ops, final List<Failure> failures)
      throws SQLException {
    c.setAutoCommit(true);
    final Map<TableLayout, SQLException> broken = new IdentityHashMap<>();
    final List<SinkOp> runnable = new ArrayList<>(ops.size());
    for (final SinkOp op : ops) {
      if (op instanceof SinkOp.Upsert u) {
        if (!ensured.contains(u.layout()) && !broken.containsKey(u.layout())) {
          try {
            ensure(c, u.layout());
          } catch (SQLException e) {
            forgetTables();
            if (SqlErrors.isTransient(e, true)) {
              throw e;
            }
            broken.put(u.layout(), e);
          }
        }
        final SQLException ddlError = broken.get(u.layout());
        if (ddlError != null) {
          failures.add(new Failure(op.record(), new SQLException("cannot prepare table " + u.table() + " for "
              + "this record's schema: " + SqlErrors.describe(ddlError), ddlError.getSQLState(), ddlError)));
          continue;
        }
      } else if (columns(c, op.table()).isEmpty()) {
        continue; // a tombstone for a table that does not exist yet has nothing to delete
      }
      runnable.add(op);
    }
    return runnable;
  }

  private void ensure(final Connection c, final TableLayout layout) throws SQLException {
    final TableName table = layout.table();
    Set<String> existing = columns(c, table);
    if (existing.isEmpty()) {
      try (Statement s = c.createStatement()) {
        s.execute(layout.createSchemaSql());
        s.execute(layout.createTableSql());
      }
      LOG.info("created table {} with primary key {}", table, layout.primaryKey());
      existing = reread(c, table);
    }
    final Optional<String> alter = layout.addColumnsSql(existing);
    if (alter.isPresent()) {
      try (Statement s = c.createStatement()) {
        s.execute(alter.get());
      }
      LOG.info("schema evolution: {}", alter.get());
      reread(c, table);
    }
    ensured.add(layout);
  }

  private Set<String> columns(final Connection c, final TableName table) throws SQLException {
    final Set<String> known = tableColumns.get(table);
    return known != null ? known : reread(c, table);
  }

  private Set<String> reread(final Connection c, final TableName table) throws SQLException {
    final Set<String> cols = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(rs.getString(1));
        }
      }
    }
    if (cols.isEmpty()) {
      tableColumns.remove(table);
    } else {
      tableColumns.put(table, cols);
    }
    return cols;
  }

  /** Consecutive ops with the same statement go in one JDBC batch; order across statements is kept. */
  private static void runBatched(final Connection c, final List<SinkOp> ops) throws SQLException {
    final Map<String, PreparedStatement> statements = new LinkedHashMap<>();
    try {
      PreparedStatement pending = null;
      for (final SinkOp op : ops) {
        final PreparedStatement ps = statement(c, statements, op.sql());
        if (pending != null && pending != ps) {
          pending.executeBatch();
        }
        op.bind(ps);
        ps.addBatch();
        pending = ps;
      }
      if (pending != null) {
        pending.executeBatch();
      }
    } finally {
      for (final PreparedStatement ps : statements.values()) {
        ps.close();
      }
    }
  }

  private List<Failure> replayOneByOne(final Connection c, final List<SinkOp> ops) throws SQLException {
    final List<Failure> failures = new ArrayList<>();
    final Map<String, PreparedStatement> statements = new LinkedHashMap<>();
    try {
      for (final SinkOp op : ops) {
        final Savepoint sp = c.setSavepoint();
        try {
          final PreparedStatement ps = statement(c, statements, op.sql());
          op.bind(ps);
          ps.executeUpdate();
          c.releaseSavepoint(sp);
        } catch (SQLException e) {
          c.rollback(sp);
          if (SqlErrors.isTransient(e, false)) {
            throw e;
          }
          failures.add(new Failure(op.record(), new SQLException("cannot write to table " + op.table() + ": "
              + SqlErrors.describe(e), e.getSQLState(), e)));
        }
      }
      c.commit();
      return failures;
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      for (final PreparedStatement ps : statements.values()) {
        ps.close();
      }
    }
  }

  private static PreparedStatement statement(final Connection c, final Map<String, PreparedStatement> cache,
      final String sql) throws SQLException {
    PreparedStatement ps = cache.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      cache.put(sql, ps);
    }
    return ps;
  }

  private Connection connection() throws SQLException {
    if (connection != null && connection.isValid(5)) {
      return connection;
    }
    closeConnection();
    final Properties p = new Properties();
    if (!config.user().isEmpty()) {
      p.setProperty("user", config.user());
    }
    if (!config.password().isEmpty()) {
      p.setProperty("password", config.password());
    }
    // The driver directly, not DriverManager: in an isolated plugin class loader DriverManager may not see it.
    final Connection c = new org.postgresql.Driver().connect(config.connectionUrl(), p);
    if (c == null) {
      throw new IllegalStateException("the PostgreSQL driver refused '" + config.connectionUrl() + "'");
    }
    connection = c;
    return c;
  }

  private void forgetTables() {
    tableColumns.clear();
    ensured.clear();
  }

  private static void rollbackQuietly(final Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed: {}", e.getMessage());
    }
  }

  /** Drops the connection after a transient error; the next batch opens a new one. */
  void closeConnection() {
    forgetTables();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the connection failed: {}", e.getMessage());
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeConnection();
  }
}
