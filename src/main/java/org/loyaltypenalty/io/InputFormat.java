package org.loyaltypenalty.io;

import java.util.Locale;
import org.loyaltypenalty.Errors;

/** The input formats the jobs read. */
public enum InputFormat {
  CSV,
  PARQUET,
  DELTA;

  public static InputFormat of(String name) {
    for (InputFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw Errors.unknownFormat(name);
  }

  public String sparkName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return sparkName();
  }
}
