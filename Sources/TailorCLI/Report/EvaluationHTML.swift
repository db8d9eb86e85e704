import Engine
import Foundation

/// Renders evaluation reports as one self-contained HTML page with inline SVG charts (no scripts, no
/// network): metrics at K side by side, coverage, the popularity of recommended against interacted items,
/// and the training loss per sweep.
enum EvaluationHTML {
    static let palette = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5"]

    static func render(_ reports: [EvaluationReport], generatedAt: Date) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Tailor evaluation report</title>
            <style>
            body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
                   max-width: 1000px; color: #222; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
            table { border-collapse: collapse; margin: 1em 0; } td, th { padding: .3em .8em; text-align: right; }
            th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
            tr:nth-child(even) td { background: #fafafa; } .note { color: #666; font-size: .9em; }
            svg text { font: 12px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; fill: #333; }
            </style></head><body>
            <h1>Evaluation report</h1>
            <p class="note">Generated \(escape(ISO8601DateFormatter().string(from: generatedAt))) by tailor evaluate.
            Metrics follow the guide's hold-out protocol: 10% of users held out, their newest 10% of interactions
            to predict.</p>

            """
        html += "<h2>Solutions</h2>\n<table><tr><th>solution</th><th>recipe</th><th>users</th><th>items</th>"
        html += "<th>interactions</th><th>solution version</th></tr>\n"
        for report in reports {
            html += "<tr><td>\(escape(report.solutionName))</td><td>\(escape(report.recipe))</td>"
            html += "<td>\(report.users)</td><td>\(report.items)</td><td>\(report.interactions)</td>"
            html += "<td>\(escape(String(report.solutionVersionArn.split(separator: "/").last ?? "")))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Metrics</h2>\n"
        // Every metric the reports have but coverage (charted below), those at K first: item recipes report
        // precision, NDCG and MRR at K; next-best-action also reports AUC, precision and recall per action.
        let present = Set(reports.flatMap(\.metrics.keys)).subtracting(["coverage"])
        let atK = present.sorted { left, right in
            let l = metricOrder(left)
            let r = metricOrder(right)
            return (l.atK ? 0 : 1, l.base, l.k) < (r.atK ? 0 : 1, r.base, r.k)
        }
        html += barChart(
            groups: atK.map { metric in (shortName(metric), reports.map { $0.metrics[metric] ?? 0 }) },
            series: reports.map(\.solutionName), valueFormat: "%.3f")
        html += "<table><tr><th>metric</th>" + reports.map { "<th>\(escape($0.solutionName))</th>" }.joined()
        html += "</tr>\n"
        let names = Set(reports.flatMap(\.metrics.keys)).sorted()
        for name in names {
            html += "<tr><td>\(escape(name))</td>"
            html += reports.map { "<td>\($0.metrics[name].map { String(format: "%.4f", $0) } ?? "–")</td>" }.joined()
            html += "</tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Coverage</h2>\n<p class=\"note\">The share of the catalogue that appears in the held-out "
        html += "users' top 25: popularity recommends the same few items to everyone.</p>\n"
        html += barChart(
            groups: [("coverage", reports.map { $0.metrics["coverage"] ?? 0 })], series: reports.map(\.solutionName),
            valueFormat: "%.3f")

        html += "<h2>Popularity of recommended items</h2>\n"
        html += "<p class=\"note\">Items in ten equal groups by popularity, most popular first: the share of the "
        html += "training interactions each group holds (grey) and the share of the recommendations that falls in "
        html += "it (colour), for an evenly spread sample of users. A model that only repeats the head puts all "
        html += "its bars on the left.</p>\n"
        for (index, report) in reports.enumerated() {
            html += "<h3>\(escape(report.solutionName))</h3>\n"
            let groups = (0..<10).map { decile in
                (
                    "\(decile * 10)–\(decile * 10 + 10)%",
                    [report.interactionShareByDecile[decile], report.recommendationShareByDecile[decile]]
                )
            }
            html += barChart(
                groups: groups,
                series: [
                    "interactions",
                    "recommendations (\(report.sampledUsers) users × "
                        + "\(report.recommendationsPerUser))",
                ],
                valueFormat: "%.2f", colours: ["#bbbbbb", palette[index % palette.count]])
        }

        let losses = reports.filter { !$0.trainingLoss.isEmpty }
        if !losses.isEmpty {
            html += "<h2>Training loss</h2>\n<p class=\"note\">The loss per interaction after each ALS sweep.</p>\n"
            html += lineChart(series: losses.map { ($0.solutionName, $0.trainingLoss) })
        }
        html += "</body></html>\n"
        return html
    }

    /// How a metric sorts: those at K first, by name and then K.
    private static func metricOrder(_ metric: String) -> (atK: Bool, base: String, k: Int) {
        guard let range = metric.range(of: "_at_", options: .backwards), let k = Int(metric[range.upperBound...])
        else { return (false, metric, 0) }
        return (true, String(metric[..<range.lowerBound]), k)
    }

    private static func shortName(_ metric: String) -> String {
        metric.replacingOccurrences(of: "normalized_discounted_cumulative_gain", with: "NDCG")
            .replacingOccurrences(of: "mean_reciprocal_rank", with: "MRR")
            .replacingOccurrences(of: "precision", with: "precision")
            .replacingOccurrences(of: "_at_", with: "@")
    }

    /// Grouped vertical bars: one group per label, one bar per series, with a legend.
    static func barChart(
        groups: [(label: String, values: [Double])], series: [String], valueFormat: String,
        colours: [String] = palette
    ) -> String {
        let width = 940.0
        let height = 260.0
        let left = 50.0
        let bottom = 40.0
        let top = 20.0
        let maximum = max(groups.flatMap(\.values).max() ?? 0, 1e-9) * 1.1
        let groupWidth = (width - left) / Double(max(groups.count, 1))
        let barWidth = max(2, (groupWidth * 0.8) / Double(max(series.count, 1)))
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height + 30))\" role=\"img\">\n"
        let plotHeight = height - bottom - top
        for tick in 0...4 {
            let value = maximum * Double(tick) / 4
            let y = top + plotHeight * (1 - Double(tick) / 4)
            svg += "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: valueFormat, value))</text>\n"
        }
        for (index, group) in groups.enumerated() {
            let x0 = left + groupWidth * Double(index) + groupWidth * 0.1
            for (position, value) in group.values.enumerated() {
                let barHeight = plotHeight * value / maximum
                let x = x0 + barWidth * Double(position)
                let y = top + plotHeight - barHeight
                let colour = colours[position % colours.count]
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth - 1))\" height=\"\(f(barHeight))\" "
                svg += "fill=\"\(colour)\"><title>\(escape(series[safe: position] ?? "")): "
                svg += "\(String(format: valueFormat, value))</title></rect>\n"
            }
            svg += "<text x=\"\(f(x0 + groupWidth * 0.4))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">"
            svg += "\(escape(group.label))</text>\n"
        }
        var legendX = left
        for (position, name) in series.enumerated() {
            svg += "<rect x=\"\(f(legendX))\" y=\"\(f(height + 8))\" width=\"12\" height=\"12\" "
            svg += "fill=\"\(colours[position % colours.count])\"/>"
            svg += "<text x=\"\(f(legendX + 16))\" y=\"\(f(height + 18))\">\(escape(name))</text>\n"
            legendX += 24 + Double(name.count) * 7
        }
        return svg + "</svg>\n"
    }

    /// Lines over the sweep number, one per series.
    static func lineChart(series: [(name: String, values: [Double])]) -> String {
        let width = 940.0
        let height = 260.0
        let left = 60.0
        let bottom = 30.0
        let top = 20.0
        let values = series.flatMap(\.values).filter(\.isFinite)
        let low = min(values.min() ?? 0, 0)
        let high = max(values.max() ?? 1, low + 1e-9)
        let longest = max(series.map(\.values.count).max() ?? 1, 2)
        let plotHeight = height - bottom - top
        func point(_ index: Int, _ value: Double) -> String {
            let x = left + (width - left - 10) * Double(index) / Double(longest - 1)
            let y = top + plotHeight * (1 - (value - low) / (high - low))
            return "\(f(x)),\(f(y))"
        }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height + 30))\" role=\"img\">\n"
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            let y = top + plotHeight * (1 - Double(tick) / 4)
            svg += "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: "%.3g", value))</text>\n"
        }
        let every = max(1, longest / 15)
        for sweep in stride(from: 0, to: longest, by: every) {
            let x = left + (width - left - 10) * Double(sweep) / Double(longest - 1)
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"middle\">\(sweep + 1)</text>"
        }
        svg += "<text x=\"\(f(width / 2))\" y=\"\(f(height - 2))\" text-anchor=\"middle\">sweep</text>\n"
        for (index, line) in series.enumerated() {
            let colour = palette[index % palette.count]
            let points = line.values.enumerated().filter { $0.element.isFinite }.map { point($0.offset, $0.element) }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            svg += "<rect x=\"\(f(left + Double(index) * 180))\" y=\"\(f(height + 8))\" width=\"12\" height=\"12\" "
            svg += "fill=\"\(colour)\"/><text x=\"\(f(left + Double(index) * 180 + 16))\" y=\"\(f(height + 18))\">"
            svg += "\(escape(line.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
