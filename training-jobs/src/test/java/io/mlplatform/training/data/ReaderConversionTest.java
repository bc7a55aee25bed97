package io.mlplatform.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.training.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Spark's readers make of values of another type than the column's, which serving reproduces
 * (serving's RequestValidator and the README's "Input types accepted"). If a Spark upgrade changes
 * any of this, serving's conversions must change with it.
 */
class ReaderConversionTest extends SparkTest {

  @TempDir Path dir;

  @Test
  void jsonReaderWritesNumbersInAStringColumnAsIntegerDigitsOrTheDoublesText() throws Exception {
    Path json = dir.resolve("mixed.json");
    Files.writeString(
        json,
        "[{\"n\":1,\"t\":\"x\"},{\"n\":2,\"t\":1776},{\"n\":3,\"t\":1.50},{\"n\":4,\"t\":1e3},"
            + "{\"n\":5,\"t\":true},{\"n\":6,\"t\":12345678901234567890},{\"n\":7,\"t\":1.0e-7},{\"n\":8,\"t\":-0.0},"
            + "{\"n\":9,\"t\":null}]");

    Dataset<Row> read = spark.read().option("multiLine", "true").json(json.toString());

    assertThat(read.schema().simpleString()).isEqualTo("struct<n:bigint,t:string>");
    assertThat(
            read.orderBy("n").collectAsList().stream()
                .map(r -> r.isNullAt(1) ? null : r.getString(1)))
        .containsExactly(
            "x", "1776", "1.5", "1000.0", "true", "12345678901234567890", "1.0E-7", "-0.0", null);
  }

  @Test
  void csvReaderParsesADoubleColumnWithJavasParseDoubleAndAnEmptyCellAsNull() throws Exception {
    // One spelling per file: inference decides per column, and these all infer as double.
    List<String> cells =
        List.of("1.5", " 2 ", "1e3", ".5", "0x1p3", "1d", "NaN", "Inf", "-Inf", "1.5e400");
    List<Double> expected =
        List.of(
            1.5,
            2.0,
            1000.0,
            0.5,
            8.0,
            1.0,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY);
    for (int i = 0; i < cells.size(); i++) {
      Path csv = dir.resolve("c" + i + ".csv");
      Files.writeString(csv, "v\n\"" + cells.get(i) + "\"\n0.5\n\n");
      Dataset<Row> read =
          spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());

      assertThat(read.schema().simpleString()).as(cells.get(i)).isEqualTo("struct<v:double>");
      List<Row> rows = read.collectAsList();
      assertThat(rows.get(0).getDouble(0)).as(cells.get(i)).isEqualTo(expected.get(i));
    }
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "k,v\n1,0.5\n2,\n");
    assertThat(
            spark
                .read()
                .option("header", "true")
                .option("inferSchema", "true")
                .csv(empty.toString())
                .orderBy("k")
                .collectAsList()
                .get(1)
                .isNullAt(1))
        .isTrue();
  }

  @Test
  void csvReaderKeepsAColumnWithANonNumberAsText() throws Exception {
    for (String cell : List.of("1_000", "1,5", "  ", "abc")) {
      Path csv = dir.resolve("s" + Math.abs(cell.hashCode()) + ".csv");
      Files.writeString(csv, "v\n\"" + cell + "\"\n3\n");

      Dataset<Row> read =
          spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());

      assertThat(read.schema().simpleString()).as(cell).isEqualTo("struct<v:string>");
      assertThat(read.collectAsList().get(0).getString(0)).as(cell).isEqualTo(cell);
    }
  }
}
