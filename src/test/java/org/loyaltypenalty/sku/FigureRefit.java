package org.loyaltypenalty.sku;

import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The report's figures of every SKU of a prepared dataset, each from a fit of its own: the
 * reference the tests hold the pass's {@code figure} rows to, bit for bit (the audit reads the
 * figures the pass computes for the SKUs it may flag, from the fit it tests with).
 */
public final class FigureRefit {
  private FigureRefit() {}

  /** Rows of {@link SkuPass#FIGURES} for every SKU of {@code prepared}. */
  public static Dataset<Row> figures(SkuPass pass, Dataset<Row> prepared) {
    return SkuPass.bySku(pass.narrow(prepared)).flatMapGroups(
        (FlatMapGroupsFunction<Long, Row, Row>) (hash, rows) -> pass.quotes(rows).stream()
            .flatMap(q -> pass.analysis().figures(q).stream().map(f -> SkuPass.row(q, f)))
            .iterator(),
        Encoders.row(SkuPass.FIGURES));
  }
}
