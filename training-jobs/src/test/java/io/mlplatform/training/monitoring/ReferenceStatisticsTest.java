package io.mlplatform.training.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mlplatform.store.format.Distribution;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reference distributions on the real penguins data, checked against the serving-side binning rule.
 */
class ReferenceStatisticsTest extends SparkTest {

  private static Dataset<Row> penguins;
  private static List<Row> rows;

  @BeforeAll
  static void read() {
    penguins =
        spark
            .read()
            .option("multiLine", "true")
            .json(root().resolve("data/penguins.json").toString());
    rows = penguins.collectAsList();
  }

  @Test
  void numericDecilesHoldAboutATenthEachAndNullsHaveTheirOwnBin() {
    Distribution d = ReferenceStatistics.numeric(penguins, "Beak Length (mm)", "Beak Length (mm)");

    assertThat(d.kind()).isEqualTo(Distribution.Kind.NUMERIC);
    assertThat(d.rows()).isEqualTo(344);
    assertThat(d.edges()).hasSize(9).isSorted();
    assertThat(d.shares()).hasSize(11);
    assertThat(d.shares().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-9));
    // Two penguins have no measurements at all.
    assertThat(d.shares().get(10)).isCloseTo(2 / 344.0, within(1e-12));
    for (double share : d.shares().subList(0, 10)) {
      assertThat(share).isBetween(0.06, 0.14);
    }
    assertSameAsServingBins(d, "Beak Length (mm)");
  }

  @Test
  void categoricalKeepsTheMostFrequentValuesFirstThenOtherThenNull() {
    Distribution island = ReferenceStatistics.categorical(penguins, "Island");
    Distribution sex = ReferenceStatistics.categorical(penguins, "Sex");

    assertThat(island.categories()).containsExactly("Biscoe", "Dream", "Torgersen");
    assertThat(island.shares()).containsExactly(168 / 344.0, 124 / 344.0, 52 / 344.0, 0.0, 0.0);
    assertThat(sex.shares().get(sex.shares().size() - 1)).isGreaterThan(0.0);
    assertSameAsServingBins(island, "Island");
    assertSameAsServingBins(sex, "Sex");
  }

  @Test
  void severalCategoricalColumnsInOnePassCountEachOnItsOwn() {
    List<Distribution> both = ReferenceStatistics.categorical(penguins, List.of("Island", "Sex"));

    assertThat(both).extracting(Distribution::name).containsExactly("Island", "Sex");
    assertThat(both.get(0).categories()).containsExactly("Biscoe", "Dream", "Torgersen");
    assertThat(both.get(0).shares())
        .containsExactly(168 / 344.0, 124 / 344.0, 52 / 344.0, 0.0, 0.0);
    long noSex = rows.stream().filter(r -> r.isNullAt(r.fieldIndex("Sex"))).count();
    assertThat(both.get(1).rows()).isEqualTo(344);
    assertThat(both.get(1).shares().get(both.get(1).shares().size() - 1))
        .isCloseTo(noSex / 344.0, within(1e-12));
    assertSameAsServingBins(both.get(1), "Sex");
  }

  @Test
  void categoriesBeyondTheTopGoToOther() {
    StructType schema = new StructType().add("c", DataTypes.StringType);
    List<Row> data = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      for (int n = 0; n <= i; n++) {
        data.add(RowFactory.create("v" + i));
      }
    }
    Distribution d = ReferenceStatistics.categorical(spark.createDataFrame(data, schema), "c");

    assertThat(d.categories()).hasSize(ReferenceStatistics.TOP_CATEGORIES).startsWith("v29", "v28");
    // v0..v9 hold 1+2+...+10 = 55 of the 465 rows.
    assertThat(d.shares().get(ReferenceStatistics.TOP_CATEGORIES))
        .isCloseTo(55 / 465.0, within(1e-12));
    assertThat(d.binOf("never seen")).isEqualTo(ReferenceStatistics.TOP_CATEGORIES);
  }

  @Test
  void predictionsOfAClassifierAreClassSharesInIndexOrder() {
    StructType schema = new StructType().add(PipelineFactory.PREDICTION, DataTypes.DoubleType);
    Dataset<Row> scored =
        spark.createDataFrame(
            List.of(
                RowFactory.create(0.0),
                RowFactory.create(2.0),
                RowFactory.create(2.0),
                RowFactory.create(2.0)),
            schema);

    Distribution d =
        ReferenceStatistics.predictedClasses(scored, List.of("Adelie", "Chinstrap", "Gentoo"));

    assertThat(d.categories()).containsExactly("Adelie", "Chinstrap", "Gentoo");
    assertThat(d.shares()).containsExactly(0.25, 0.0, 0.75, 0.0, 0.0);
  }

  @Test
  void severalColumnsAtOnceGiveWhatEachGivesAloneWhateverTheOthersNulls() {
    StructType schema =
        new StructType()
            .add("x", DataTypes.DoubleType)
            .add("y", DataTypes.IntegerType)
            .add("z", DataTypes.DoubleType);
    List<Row> data = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // x is missing in a third of the rows, y never, z always.
      data.add(RowFactory.create(i % 3 == 0 ? null : (double) (i * 7 % 101), i % 17, null));
    }
    Dataset<Row> frame = spark.createDataFrame(data, schema);

    List<Distribution> together =
        ReferenceStatistics.numeric(frame, List.of("x", "y", "z"), List.of("x", "y", "z"));

    assertThat(together).hasSize(3);
    for (int c = 0; c < 3; c++) {
      String column = List.of("x", "y", "z").get(c);
      assertThat(together.get(c)).isEqualTo(ReferenceStatistics.numeric(frame, column, column));
    }
    assertThat(together.get(1).shares().get(together.get(1).shares().size() - 1)).isZero();
    assertThat(together.get(1).edges()).hasSize(9);
    assertThat(together.get(0).shares().get(together.get(0).shares().size() - 1))
        .isCloseTo(67 / 200.0, within(1e-12));
    assertThat(together.get(2).shares()).containsExactly(0.0, 1.0);
  }

  @Test
  void aColumnWithOnlyNullsIsOneNullBin() {
    StructType schema = new StructType().add("x", DataTypes.DoubleType);
    Row none = RowFactory.create((Object) null);
    Distribution d =
        ReferenceStatistics.numeric(spark.createDataFrame(List.of(none, none), schema), "x", "x");

    assertThat(d.edges()).isEmpty();
    assertThat(d.shares()).containsExactly(0.0, 1.0);
  }

  /**
   * Serving counts live values with Distribution.binOf: on the training rows it must give the same
   * shares.
   */
  private static void assertSameAsServingBins(Distribution d, String column) {
    double[] counts = new double[d.bins()];
    int at = penguins.schema().fieldIndex(column);
    for (Row row : rows) {
      counts[d.binOf(row.isNullAt(at) ? null : row.get(at))]++;
    }
    for (int i = 0; i < counts.length; i++) {
      assertThat(counts[i] / rows.size())
          .as("bin %s of %s", d.labels().get(i), column)
          .isCloseTo(d.shares().get(i), within(1e-12));
    }
  }
}
