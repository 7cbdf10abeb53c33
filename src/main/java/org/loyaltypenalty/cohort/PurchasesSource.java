package org.loyaltypenalty.cohort;

/**
 * Where a run's purchase history came from. The manifest records {@link #label}; the report
 * data carries the constant, which the report names in its own language.
 */
public enum PurchasesSource {
  /** A purchases input was given. */
  PURCHASES_INPUT("purchases input"),
  /** The quotes with {@code purchased = true}. */
  PURCHASED_QUOTES("quotes with purchased = true"),
  /** Every quote is an order (an orders-only export). */
  ORDERS_ONLY("every quote (orders-only export)");

  private final String label;

  PurchasesSource(String label) {
    this.label = label;
  }

  /** The manifest's value. */
  public String label() {
    return label;
  }

  /** The source whose {@link #label} this is; null when none is (or {@code label} is null). */
  public static PurchasesSource ofLabel(String label) {
    for (PurchasesSource s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    return null;
  }
}
