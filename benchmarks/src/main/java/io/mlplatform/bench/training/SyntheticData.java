package io.mlplatform.bench.training;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic binary-classification data set: three categorical columns (3, 8 and 20
 * values), six numeric columns and a label that depends on both kinds with noise, so trees have
 * something to learn. The same seed and size give the same bytes.
 *
 * <p>{@code SyntheticData ROWS OUT_CSV [SEED]}
 */
public final class SyntheticData {

  public static final String HEADER =
      "channel,region,product,age,income,tenure,visits,spend,score,churn";
  private static final String[] CHANNELS = {"email", "store", "web"};
  private static final String[] REGIONS = {
    "north", "south", "east", "west", "central", "coast", "hills", "islands"
  };
  private static final String[] PRODUCTS = new String[20];

  static {
    for (int i = 0; i < PRODUCTS.length; i++) {
      PRODUCTS[i] = "p" + i;
    }
  }

  private SyntheticData() {}

  public static void write(long rows, Path out, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.newLine();
      for (long i = 0; i < rows; i++) {
        int channel = random.nextInt(CHANNELS.length);
        int region = random.nextInt(REGIONS.length);
        int product = random.nextInt(PRODUCTS.length);
        double age = 18 + random.nextDouble() * 60;
        double income = Math.exp(10 + random.nextDouble() * 1.5);
        double tenure = random.nextDouble() * 120;
        double visits = random.nextInt(50);
        double spend = income * 0.01 * random.nextDouble();
        double score = random.nextDouble() * 2 - 1;
        double logit =
            -1.0
                + 0.8 * (channel == 2 ? 1 : 0)
                - 0.05 * region
                + (product % 5 == 0 ? 0.9 : 0)
                + 0.02 * (40 - age)
                - 0.01 * tenure
                + 0.03 * visits
                + 1.5 * score
                + random.nextDouble() * 1.5
                - 0.75;
        boolean churn = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        w.write(
            String.format(
                Locale.ROOT,
                "%s,%s,%s,%.2f,%.2f,%.1f,%.0f,%.2f,%.4f,%s",
                CHANNELS[channel],
                REGIONS[region],
                PRODUCTS[product],
                age,
                income,
                tenure,
                visits,
                spend,
                score,
                churn ? "yes" : "no"));
        w.newLine();
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: SyntheticData ROWS OUT_CSV [SEED]");
      System.exit(2);
    }
    write(
        Long.parseLong(args[0]), Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 42);
  }
}
