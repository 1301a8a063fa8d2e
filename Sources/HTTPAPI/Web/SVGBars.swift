import EventSourcing

/// Horizontal bar charts drawn as SVG on the server: no script, no CDN, readable by a screen reader (a title and a
/// text label with the figure on every bar).
enum SVGBars {
    struct Bar {
        var label: String
        var value: Int
        /// The part of `value` drawn in the second colour (overdue of held), 0 for none.
        var part: Int
    }

    static func chart(_ bars: [Bar], legend: (String, String?), title: String) -> String {
        guard let top = bars.map(\.value).max(), top > 0 else { return "<p>Chưa có số liệu.</p>" }
        let rowHeight = 26, labelWidth = 260, barWidth = 360, width = labelWidth + barWidth + 70
        let height = bars.count * rowHeight + 30
        // A stable id for the title (djb2 of its bytes), so the same chart has the same markup.
        let id = "t" + String(title.utf8.reduce(5381 as UInt32) { ($0 &<< 5) &+ $0 &+ UInt32($1) }, radix: 36)
        var svg = "<svg class=\"bars\" role=\"img\" aria-labelledby=\"\(id)\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" "
            + "preserveAspectRatio=\"xMinYMin meet\"><title id=\"\(id)\">\(XMLText.escape(title))</title>"
        for (i, bar) in bars.enumerated() {
            let y = i * rowHeight + 4
            let w = max(2, bar.value * barWidth / top), late = bar.part * barWidth / top
            let label = bar.label.count > 38 ? String(bar.label.prefix(37)) + "…" : bar.label
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(XMLText.escape(label))</text>"
            svg += "<rect class=\"held\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(w)\" height=\"18\"/>"
            if late > 0 { svg += "<rect class=\"late\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(late)\" height=\"18\"/>" }
            let figure = bar.part > 0 ? "\(bar.value) (\(bar.part) quá hạn)" : "\(bar.value)"
            svg += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\">\(figure)</text>"
        }
        let y = bars.count * rowHeight + 20
        svg += "<rect class=\"held\" x=\"0\" y=\"\(y - 10)\" width=\"12\" height=\"12\"/><text x=\"18\" y=\"\(y)\">\(XMLText.escape(legend.0))</text>"
        if let second = legend.1 {
            svg += "<rect class=\"late\" x=\"160\" y=\"\(y - 10)\" width=\"12\" height=\"12\"/><text x=\"178\" y=\"\(y)\">\(XMLText.escape(second))</text>"
        }
        return svg + "</svg>"
    }
}
