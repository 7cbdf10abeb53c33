package org.loyaltypenalty.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns.Derived;
import org.loyaltypenalty.Columns.Findings;
import org.loyaltypenalty.Columns.Quotes;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.segment.SegmentLevels;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Resolves the configured segments on a run's analysed quotes, in one small aggregation: the
 * levels each segment takes, the distinct customers of each, the quotes whose level is unknown,
 * and the reference level: the configured one (which must occur), else the level with the most
 * distinct customers (ties: the first level in sort order).
 */
final class SegmentResolver {
  private SegmentResolver() {}

  /**
   * The configured segments, resolved, and the distinct customers of each cohort (the loyalty
   * cohort is a segment whose reference is fixed: new customers).
   */
  record Resolved(List<SegmentLevels> segments, Map<String, Long> cohortCustomers) {}

  /** @param analysed quotes with their cohort and one {@link Derived#segment} column per spec */
  static Resolved resolve(List<SegmentSpec> specs, Dataset<Row> analysed) {
    if (specs.isEmpty()) {
      return new Resolved(List.of(), Map.of());
    }
    Dataset<Row> levels = analysed.select(lit(SegmentSpec.COHORT).as(Findings.SEGMENT),
        col(Derived.COHORT).as("level"), col(Quotes.CUSTOMER_ID));
    for (SegmentSpec spec : specs) {
      Dataset<Row> one = analysed.select(lit(spec.name()).as(Findings.SEGMENT),
          col(Derived.segment(spec.name())).as("level"), col(Quotes.CUSTOMER_ID));
      levels = levels.union(one);
    }
    Map<String, TreeMap<String, Long>> customers = new HashMap<>();
    Map<String, Long> unknown = new HashMap<>();
    for (Row r : levels.groupBy(col(Findings.SEGMENT), col("level"))
        .agg(countDistinct(col(Quotes.CUSTOMER_ID)), count(lit(1))).collectAsList()) {
      if (r.isNullAt(1)) {
        unknown.put(r.getString(0), r.getLong(3));
      } else {
        customers.computeIfAbsent(r.getString(0), k -> new TreeMap<>())
            .put(r.getString(1), r.getLong(2));
      }
    }
    List<SegmentLevels> out = new ArrayList<>();
    for (SegmentSpec spec : specs) {
      out.add(resolve(spec, customers.getOrDefault(spec.name(), new TreeMap<>()),
          unknown.getOrDefault(spec.name(), 0L)));
    }
    return new Resolved(out, customers.getOrDefault(SegmentSpec.COHORT, new TreeMap<>()));
  }

  /** @param customers distinct customers per level, sorted by level */
  static SegmentLevels resolve(SegmentSpec spec, TreeMap<String, Long> customers,
      long unknownQuotes) {
    List<String> names = new ArrayList<>(customers.keySet());
    int reference;
    if (spec.reference().isPresent()) {
      reference = names.indexOf(spec.reference().get());
      if (reference < 0) {
        throw Errors.segmentReferenceAbsent(spec.name(), spec.reference().get(), names);
      }
    } else {
      reference = 0;
      for (int l = 1; l < names.size(); l++) {
        if (customers.get(names.get(l)) > customers.get(names.get(reference))) {
          reference = l;
        }
      }
    }
    if (names.isEmpty()) {
      // no quote has a known level: nothing to compare (reported as such)
      return new SegmentLevels(spec.name(), List.of(), -1, spec.reference().isPresent(),
          List.of(), unknownQuotes);
    }
    return new SegmentLevels(spec.name(), names, reference, spec.reference().isPresent(),
        new ArrayList<>(customers.values()), unknownQuotes);
  }
}
