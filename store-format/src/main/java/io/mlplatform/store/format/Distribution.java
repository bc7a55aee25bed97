package io.mlplatform.store.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The share of rows per bin of one column, the unit of drift monitoring. Training writes one per
 * monitored feature and one for the predictions; serving counts live values into the same bins with
 * {@link #binOf} and compares the shares.
 *
 * <p>Bins, in order: numeric {@code (-inf, edges[0]], (edges[0], edges[1]], ..., (edges[k-1],
 * +inf)}; categorical one per entry of {@code categories}, then "other" (values training did not
 * keep, unseen ones included). Both end with a null bin, so {@code shares} has {@code edges.size()
 * + 2} respectively {@code categories.size() + 2} entries.
 *
 * @param name the input column, or "prediction"
 * @param kind NUMERIC or CATEGORICAL
 * @param edges ascending, distinct upper bin edges (numeric); empty for categorical
 * @param categories the kept values, most frequent first (categorical); empty for numeric
 * @param shares the share of rows per bin; sums to 1 when rows is positive
 * @param rows how many rows the shares were computed on
 */
public record Distribution(
    String name,
    Kind kind,
    List<Double> edges,
    List<String> categories,
    List<Double> shares,
    long rows) {

  /** How values fall into bins. */
  public enum Kind {
    NUMERIC,
    CATEGORICAL
  }

  public static final String OTHER = "(other)";
  public static final String NULL = "(null)";

  public Distribution {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    edges = edges == null ? List.of() : List.copyOf(edges);
    categories = categories == null ? List.of() : List.copyOf(categories);
    shares = shares == null ? List.of() : List.copyOf(shares);
    for (int i = 1; i < edges.size(); i++) {
      if (!(edges.get(i) > edges.get(i - 1))) {
        throw new IllegalArgumentException(
            name + ": bin edges must be strictly ascending: " + edges);
      }
    }
    if (shares.size() != binCount(kind, edges, categories)) {
      throw new IllegalArgumentException(
          name
              + ": "
              + shares.size()
              + " shares for "
              + binCount(kind, edges, categories)
              + " bins");
    }
  }

  public int bins() {
    return binCount(kind, edges, categories);
  }

  /** The bin a live value falls into; null (and, for numeric, NaN) is the last bin. */
  public int binOf(Object value) {
    int nullBin = bins() - 1;
    if (value == null) {
      return nullBin;
    }
    if (kind == Kind.NUMERIC) {
      double x = value instanceof Number n ? n.doubleValue() : parse(value.toString());
      if (Double.isNaN(x)) {
        return nullBin;
      }
      // Few edges (about ten): a linear scan is as fast as a binary search and obviously right.
      for (int i = 0; i < edges.size(); i++) {
        if (x <= edges.get(i)) {
          return i;
        }
      }
      return edges.size();
    }
    int at = categories.indexOf(value.toString());
    return at >= 0 ? at : categories.size();
  }

  /**
   * Human-readable bin names, in bin order: "<=39.2", "(39.2, 42.0]", ">50.1", "Biscoe", "(other)",
   * "(null)".
   */
  public List<String> labels() {
    List<String> labels = new ArrayList<>(bins());
    if (kind == Kind.NUMERIC) {
      for (int i = 0; i < edges.size(); i++) {
        labels.add(
            i == 0 ? "<=" + edges.get(0) : "(" + edges.get(i - 1) + ", " + edges.get(i) + "]");
      }
      labels.add(edges.isEmpty() ? "all" : ">" + edges.get(edges.size() - 1));
    } else {
      labels.addAll(categories);
      labels.add(OTHER);
    }
    labels.add(NULL);
    return labels;
  }

  private static int binCount(Kind kind, List<Double> edges, List<String> categories) {
    return (kind == Kind.NUMERIC ? edges.size() + 1 : categories.size() + 1) + 1;
  }

  private static double parse(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
