package io.mlplatform.training.monitor;

import io.mlplatform.training.report.Charts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The monitor job's report of one version, {@code monitoring/vN/RUN/report.html}: one
 * self-contained page like the training report (inline CSS, plots as PNG data URIs, no script).
 */
final class MonitoringPage {

  /** The most drifted columns get a reference-against-live plot; the table lists all. */
  static final int SHARE_PLOTS = 6;

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
      color:#1d2733;padding:0 1rem}h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d8dee6;padding-bottom:.2rem;
      margin-top:2rem}.sub{color:#5b6775;margin-top:0}table{border-collapse:collapse;margin:.6rem 0}
      td,th{border:1px solid #d8dee6;padding:.25rem .6rem;text-align:right}th{background:#f3f6f9}
      td:first-child,th:first-child{text-align:left}tr.alert td{background:#fbe9e7;font-weight:600}
      img{max-width:100%;border:1px solid #eef1f4;margin:.4rem .4rem .4rem 0}.plots{display:flex;flex-wrap:wrap}""";

  private MonitoringPage() {}

  static String render(MonitorSummary s, String log) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(s.model() + " v" + s.version() + " monitoring " + s.run()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>\n<h1>")
        .append(esc(s.model() + " v" + s.version()))
        .append(": fleet-wide monitoring</h1><p class=\"sub\">Run ")
        .append(esc(s.run()))
        .append(" over the prediction log <code>")
        .append(esc(log))
        .append("</code>, records from ")
        .append(esc(String.valueOf(s.period().from())))
        .append(" to ")
        .append(esc(String.valueOf(s.period().to())))
        .append(s.period().since() == null ? "" : " (since " + esc(s.period().since()) + ")")
        .append(".</p>\n");
    traffic(html, s);
    drift(html, s);
    feedback(html, s);
    html.append("</body></html>\n");
    return html.toString();
  }

  private static void traffic(StringBuilder html, MonitorSummary s) {
    MonitorSummary.Traffic t = s.traffic();
    html.append("<section id=\"traffic\"><h2>Traffic and latency</h2><table>")
        .append(row("logged requests", Long.toString(t.requests())))
        .append(row("instances", Long.toString(t.instances())))
        .append(row("scored instances", Long.toString(t.scored())))
        .append(
            row(
                "latency p50 / p95 / p99 (ms)",
                ms(s.latency().p50())
                    + " / "
                    + ms(s.latency().p95())
                    + " / "
                    + ms(s.latency().p99())))
        .append("</table><table><tr><th>replica</th><th>requests</th><th>instances</th></tr>");
    for (MonitorSummary.Replica r : t.replicas()) {
      html.append("<tr><td>")
          .append(esc(r.replica()))
          .append("</td><td>")
          .append(r.requests())
          .append("</td><td>")
          .append(r.instances())
          .append("</td></tr>");
    }
    html.append("</table>");
    if (s.series().size() > 1) {
      List<Date> times = times(s);
      Map<String, List<Double>> requests = new LinkedHashMap<>();
      requests.put("requests", s.series().stream().map(p -> (double) p.requests()).toList());
      requests.put("instances", s.series().stream().map(p -> (double) p.instances()).toList());
      Map<String, List<Double>> latency = new LinkedHashMap<>();
      latency.put("p50", s.series().stream().map(MonitorSummary.Point::p50).toList());
      latency.put("p95", s.series().stream().map(MonitorSummary.Point::p95).toList());
      latency.put("p99", s.series().stream().map(MonitorSummary.Point::p99).toList());
      html.append("<div class=\"plots\">")
          .append(
              img(
                  Charts.overTime("Traffic per " + s.bucket(), "count", times, requests),
                  "traffic"))
          .append(
              img(Charts.overTime("Latency per " + s.bucket(), "ms", times, latency), "latency"))
          .append("</div>");
    }
    html.append("</section>\n");
  }

  private static void drift(StringBuilder html, MonitorSummary s) {
    MonitorSummary.Drift d = s.drift();
    html.append("<section id=\"drift\"><h2>Drift</h2>");
    if (!d.available()) {
      html.append("<p>").append(esc(d.message())).append("</p></section>\n");
      return;
    }
    html.append("<p>PSI against the training reference, binned as the service bins live traffic;")
        .append(" flagged at or above ")
        .append(d.threshold())
        .append(", reported from ")
        .append(d.minRows())
        .append(
            " values on.</p><table><tr><th>column</th><th>kind</th><th>values</th><th>PSI</th></tr>");
    List<MonitorSummary.Column> all = new ArrayList<>(d.features());
    all.add(d.prediction());
    for (MonitorSummary.Column c : all) {
      html.append(c.alert() ? "<tr class=\"alert\">" : "<tr>")
          .append("<td>")
          .append(esc(c.name()))
          .append("</td><td>")
          .append(c.kind())
          .append("</td><td>")
          .append(c.rows())
          .append("</td><td>")
          .append(c.psi() == null ? "–" : String.format(Locale.ROOT, "%.4f", c.psi()))
          .append("</td></tr>");
    }
    html.append("</table><div class=\"plots\">");
    List<MonitorSummary.Column> scored = all.stream().filter(c -> c.psi() != null).toList();
    if (!scored.isEmpty()) {
      html.append(
          img(
              Charts.bars(
                  "PSI per column (threshold " + d.threshold() + ")",
                  "PSI",
                  scored.stream().map(MonitorSummary.Column::name).toList(),
                  scored.stream().map(MonitorSummary.Column::psi).toList()),
              "PSI per column"));
    }
    if (s.series().size() > 1) {
      Map<String, List<Double>> psi = new LinkedHashMap<>();
      for (MonitorSummary.Column c : all) {
        psi.put(c.name(), s.series().stream().map(p -> p.psi().get(c.name())).toList());
      }
      html.append(
          img(Charts.overTime("PSI per " + s.bucket(), "PSI", times(s), psi), "PSI over time"));
    }
    scored.stream()
        .sorted(Comparator.comparing(MonitorSummary.Column::psi).reversed())
        .limit(SHARE_PLOTS)
        .forEach(
            c ->
                html.append(
                    img(
                        Charts.shares(
                            c.name() + String.format(Locale.ROOT, " (PSI %.3f)", c.psi()),
                            c.bins().stream().map(MonitorSummary.Bin::label).toList(),
                            c.bins().stream().map(MonitorSummary.Bin::reference).toList(),
                            c.bins().stream().map(MonitorSummary.Bin::live).toList()),
                        c.name())));
    html.append("</div></section>\n");
  }

  private static void feedback(StringBuilder html, MonitorSummary s) {
    MonitorSummary.Feedback f = s.feedback();
    html.append("<section id=\"feedback\"><h2>Feedback</h2><table>")
        .append(row("feedbacks (distinct ids)", Long.toString(f.count())))
        .append(row("duplicate records (ignored)", Long.toString(f.duplicates())))
        .append(
            row(
                f.metric(),
                f.value() == null ? "–" : String.format(Locale.ROOT, "%.4f", f.value())))
        .append("</table>");
    if (s.series().stream().filter(p -> p.value() != null).count() > 1) {
      Map<String, List<Double>> value = new LinkedHashMap<>();
      value.put(f.metric(), s.series().stream().map(MonitorSummary.Point::value).toList());
      html.append(
          img(
              Charts.overTime(f.metric() + " per " + s.bucket(), f.metric(), times(s), value),
              f.metric()));
    }
    html.append("</section>\n");
  }

  private static List<Date> times(MonitorSummary s) {
    return s.series().stream().map(p -> Date.from(Instant.parse(p.start()))).toList();
  }

  private static String ms(Double value) {
    return value == null ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String row(String name, String value) {
    return "<tr><td>" + esc(name) + "</td><td>" + value + "</td></tr>";
  }

  private static String img(String dataUri, String alt) {
    return "<img src=\"" + dataUri + "\" alt=\"" + esc(alt) + "\">";
  }

  private static String esc(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }
}
