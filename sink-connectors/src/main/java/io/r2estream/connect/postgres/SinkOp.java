package io.r2estream.connect.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/** One statement a sink record turns into: an upsert of its row, or the delete a tombstone asks for. */
sealed interface SinkOp permits SinkOp.Upsert, SinkOp.Delete {

  SinkRecord record();

  TableName table();

  String sql();

  void bind(PreparedStatement ps) throws SQLException;

  /** Upserts one decoded record; {@code values} are in the layout's column order. */
  record Upsert(SinkRecord record, TableLayout layout, List<Object> values) implements SinkOp {

    @Override
    public TableName table() {
      return layout.table();
    }

    @Override
    public String sql() {
      return layout.upsertSql();
    }

    @Override
    public void bind(final PreparedStatement ps) throws SQLException {
      final List<Column> columns = layout.columns();
      for (int i = 0; i < columns.size(); i++) {
        try {
          columns.get(i).bind(ps, i + 1, values.get(i));
        } catch (RuntimeException e) {
          // A value the column cannot take is the record's fault: a data exception, so it goes to the DLQ alone.
          throw new SQLDataException("column '" + columns.get(i).name() + "' (" + columns.get(i).kind().sqlType()
              + ") cannot take " + values.get(i).getClass().getSimpleName() + " value: " + e.getMessage(), "22000", e);
        }
      }
    }
  }

  /** Deletes the rows whose {@link TableLayout#KEY_COLUMN} is the tombstone's key. */
  record Delete(SinkRecord record, TableName table, String key) implements SinkOp {

    @Override
    public String sql() {
      return TableLayout.deleteByKeySql(table);
    }

    @Override
    public void bind(final PreparedStatement ps) throws SQLException {
      ps.setString(1, key);
    }
  }
}
