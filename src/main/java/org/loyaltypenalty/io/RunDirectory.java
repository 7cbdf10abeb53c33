package org.loyaltypenalty.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.loyaltypenalty.Errors;

/** Reads the small files of a finished run's directory (for re-rendering its report). */
public final class RunDirectory {
  private RunDirectory() {}

  /**
   * The text of {@code name} ({@link RunLayout}) in the run directory {@code run}.
   *
   * @throws org.loyaltypenalty.UserException when {@code run} is not a directory or is not a
   *     finished run (it has no {@code name})
   */
  public static String readText(Path run, String name) {
    Path file = run.resolve(name);
    if (!Files.isDirectory(run)) {
      throw Errors.pathNotFound("run", run.toString());
    }
    if (!Files.isRegularFile(file)) {
      throw Errors.badArgument(run + " is not a finished run: it has no " + name);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.pathUnreadable(name, file.toString(), e.getMessage());
    }
  }
}
