package org.loyaltypenalty.spark;

import java.util.List;

/** Column names in the form Spark's Scala API takes them. */
public final class ColumnNames {
  private ColumnNames() {}

  /**
   * {@code names} as the Scala sequence {@code Dataset.join(right, usingColumns)} takes: an
   * equi-join on those columns, each kept once in the result.
   */
  public static scala.collection.immutable.Seq<String> seq(String... names) {
    return seq(List.of(names));
  }

  /** {@code names}, in their order, as {@link #seq(String...)} gives them. */
  public static scala.collection.immutable.Seq<String> seq(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }
}
