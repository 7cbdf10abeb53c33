package org.loyaltypenalty.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.segment.AgeBands;
import org.loyaltypenalty.segment.SegmentSource;
import org.loyaltypenalty.segment.SegmentSpec;

/**
 * Where each configured segment is read from, and what it needs of the inputs. A segment is,
 * in this order: {@code age} (the customers input's {@code birth_year}); a customers column when
 * it is mapped with {@code customers.columns.<name>}; a quotes column when it is one of
 * {@link Columns.Quotes#SEGMENTS}; otherwise a customers column of its own name.
 */
public final class Segments {
  private Segments() {}

  /** Where {@code spec}'s levels come from, under the customers column mapping. */
  public static SegmentSource source(SegmentSpec spec, ColumnMapping customerColumns) {
    if (spec.name().equals(SegmentSpec.AGE)) {
      return SegmentSource.AGE;
    }
    if (customerColumns.isMapped(spec.name())) {
      return SegmentSource.CUSTOMERS;
    }
    return Columns.Quotes.SEGMENTS.contains(spec.name())
        ? SegmentSource.QUOTES : SegmentSource.CUSTOMERS;
  }

  public static SegmentSource source(SegmentSpec spec, AuditConfig config) {
    return source(spec, config.customerColumns());
  }

  /** The configured segments read from {@code source}, in the configured order. */
  public static List<SegmentSpec> from(AuditConfig config, SegmentSource source) {
    return config.segments().stream().filter(s -> source(s, config) == source).toList();
  }

  /** The segment {@code age}, if configured. */
  public static java.util.Optional<SegmentSpec> age(AuditConfig config) {
    return from(config, SegmentSource.AGE).stream().findFirst();
  }

  /**
   * The canonical customers columns {@code segments} read besides {@code customer_id}: each
   * customers-sourced segment's, then {@code birth_year} for {@code age}. Empty: the customers
   * input is not needed.
   */
  public static List<String> customerColumns(List<SegmentSpec> segments, ColumnMapping mapping) {
    List<String> out = new ArrayList<>();
    for (SegmentSpec s : segments) {
      if (source(s, mapping) == SegmentSource.CUSTOMERS) {
        out.add(s.name());
      }
    }
    if (segments.stream().anyMatch(s -> source(s, mapping) == SegmentSource.AGE)) {
      out.add(Columns.Customers.BIRTH_YEAR);
    }
    return out;
  }

  /**
   * Every canonical customers column the run reads ({@code customer_id} first), or empty when
   * no configured segment reads the customers input.
   */
  public static List<String> customerColumns(AuditConfig config) {
    List<String> attributes = customerColumns(config.segments(), config.customerColumns());
    if (attributes.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(Columns.Customers.CUSTOMER_ID);
    out.addAll(attributes);
    return out;
  }

  /** The quotes columns the configured segments read. */
  public static List<String> quoteColumns(AuditConfig config) {
    return from(config, SegmentSource.QUOTES).stream().map(SegmentSpec::name).toList();
  }

  /**
   * Fails, before anything is read, when a configured segment needs the customers input and
   * none is given; the first such segment is named.
   */
  public static void requireCustomersInput(AuditConfig config, boolean customersGiven) {
    if (customersGiven) {
      return;
    }
    for (SegmentSpec s : config.segments()) {
      SegmentSource source = source(s, config);
      if (source == SegmentSource.AGE) {
        throw Errors.segmentNeedsCustomers(s.name(), Columns.Customers.BIRTH_YEAR, true);
      }
      if (source == SegmentSource.CUSTOMERS) {
        throw Errors.segmentNeedsCustomers(s.name(), config.customerColumns().source(s.name()),
            config.customerColumns().isMapped(s.name()));
      }
    }
  }

  /**
   * Fails when a column the configured segments read is not in {@code header}, the customers
   * input's column names (a CSV header read before Spark starts, or the input as Spark reads
   * it); {@code customer_id} is checked with the input's other required columns.
   */
  public static void requireCustomerColumns(AuditConfig config, Collection<String> header) {
    for (String canonical : customerColumns(config.segments(), config.customerColumns())) {
      String column = config.customerColumns().source(canonical);
      if (!header.contains(column)) {
        throw Errors.segmentColumnMissing("customers", segmentOf(config, canonical), canonical,
            column, header);
      }
    }
  }

  /**
   * Fails when a quotes column a configured segment reads is not in {@code header}, the quotes
   * input's column names.
   */
  public static void requireQuoteColumns(AuditConfig config, Collection<String> header) {
    for (String canonical : quoteColumns(config)) {
      String column = config.quoteColumns().source(canonical);
      if (!header.contains(column)) {
        throw Errors.segmentColumnMissing("quotes", canonical, canonical, column, header);
      }
    }
  }

  private static String segmentOf(AuditConfig config, String customersColumn) {
    return customersColumn.equals(Columns.Customers.BIRTH_YEAR) ? SegmentSpec.AGE
        : customersColumn;
  }
}
