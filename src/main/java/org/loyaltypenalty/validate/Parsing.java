package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;

/**
 * Null-safe parsing of input columns that may arrive as strings (CSV) or typed (Parquet, Delta).
 * Spark 4 runs in ANSI mode, so every conversion is a {@code try_cast}: a value that does not
 * parse becomes null, and the validators compare it with the value as read to tell "missing"
 * from "unparseable".
 */
final class Parsing {
  private Parsing() {}

  static boolean has(Dataset<Row> ds, String column) {
    return Arrays.asList(ds.columns()).contains(column);
  }

  static boolean isString(Dataset<Row> ds, String column) {
    return ds.schema().apply(column).dataType() instanceof StringType;
  }

  /** The value as text, trimmed, with empty strings as null. */
  static Column text(Dataset<Row> ds, String column) {
    Column c = trim(col(column).cast(DataTypes.StringType));
    return when(c.equalTo(lit("")), lit(null).cast(DataTypes.StringType)).otherwise(c);
  }

  /**
   * True where the column holds something (not null, not blank). Only text can be blank: a
   * typed column (Parquet, Delta) is tested for null without formatting every value as text.
   */
  static Column present(Dataset<Row> ds, String column) {
    return isString(ds, column) ? text(ds, column).isNotNull() : col(column).isNotNull();
  }

  static Column timestamp(Dataset<Row> ds, String column) {
    DataType t = ds.schema().apply(column).dataType();
    if (t.equals(DataTypes.TimestampType)) {
      return col(column);
    }
    if (t.equals(DataTypes.TimestampNTZType) || t.equals(DataTypes.DateType)) {
      return col(column).cast(DataTypes.TimestampType);
    }
    return text(ds, column).try_cast(DataTypes.TimestampType);
  }

  /** A finite double, or null. */
  static Column finiteDouble(Dataset<Row> ds, String column) {
    Column d = isString(ds, column)
        ? text(ds, column).try_cast(DataTypes.DoubleType)
        : col(column).try_cast(DataTypes.DoubleType);
    return when(d.isNull().or(isnan(d)).or(d.equalTo(Double.POSITIVE_INFINITY))
        .or(d.equalTo(Double.NEGATIVE_INFINITY)), lit(null).cast(DataTypes.DoubleType))
        .otherwise(d);
  }

  /** A whole number, or null when the value is not one (2.5, "two"). */
  static Column wholeNumber(Dataset<Row> ds, String column) {
    Column d = finiteDouble(ds, column);
    return when(d.isNotNull().and(d.equalTo(floor(d))), d.cast(DataTypes.LongType));
  }

  /** true/false, 1/0, yes/no, y/n, t/f in any case; null otherwise. */
  static Column bool(Dataset<Row> ds, String column) {
    if (ds.schema().apply(column).dataType().equals(DataTypes.BooleanType)) {
      return col(column);
    }
    Column t = lower(text(ds, column));
    return when(t.isin("true", "1", "yes", "y", "t", "1.0"), lit(true))
        .when(t.isin("false", "0", "no", "n", "f", "0.0"), lit(false));
  }
}
