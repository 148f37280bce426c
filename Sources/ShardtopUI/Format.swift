import Foundation

/// Number formats shared by every screen, so the same quantity always reads the same way.
public enum Format {
    /// Binary units, one decimal: 1536 -> "1.5K".
    public static func bytes(_ value: Int64?) -> String {
        guard let value else { return "?" }
        let units = ["B", "K", "M", "G", "T", "P"]
        var amount = Double(value)
        var unit = 0
        while abs(amount) >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value)B" : String(format: "%.1f%@", amount, units[unit])
    }

    /// Compact counts: 12345 -> "12.3k".
    public static func count(_ value: Int64?) -> String {
        guard let value else { return "?" }
        if abs(value) < 10_000 { return "\(value)" }
        if abs(value) < 1_000_000 { return String(format: "%.1fk", Double(value) / 1000) }
        if abs(value) < 1_000_000_000 { return String(format: "%.1fM", Double(value) / 1_000_000) }
        return String(format: "%.1fG", Double(value) / 1_000_000_000)
    }

    public static func count(_ value: Int?) -> String { count(value.map(Int64.init)) }

    public static func seconds(_ value: Double) -> String {
        value < 1 ? "\(Int(value * 1000))ms" : value == value.rounded() ? "\(Int(value))s" : String(format: "%.1fs", value)
    }

    /// A replica acks every second and the server's lag field counts the seconds since the last
    /// ack, so 0 and 1 are a healthy replica's normal state: shown as "<1s", not as lag. The real
    /// figure stays in the node detail view and the JSON.
    public static let ackCadenceSeconds = 1

    public static func lagSeconds(_ value: Int?) -> String {
        guard let value else { return "?" }
        return value <= ackCadenceSeconds ? "<1s" : "\(value)s"
    }

    /// The part of a lag in seconds that is lag at all (beyond the ack cadence), for bars.
    public static func lagSecondsBeyondAcks(_ value: Int?) -> Int { max(0, (value ?? 0) - ackCadenceSeconds) }

    public static func percent(_ value: Double?) -> String {
        guard let value else { return "?" }
        return String(format: "%.0f%%", value)
    }

    /// Wall-clock time of day in UTC, for event timestamps (servers log in their own zone; UTC is unambiguous).
    public static func clock(_ time: Double) -> String {
        let total = Int(time.rounded(.down))
        let seconds = total % 60
        let minutes = (total / 60) % 60
        let hours = (total / 3600) % 24
        return String(format: "%02d:%02d:%02d", hours, minutes, seconds)
    }

    public static func shortID(_ id: String?) -> String {
        guard let id else { return "-" }
        return id.hasPrefix("?") ? "?" : String(id.prefix(8))
    }

    /// Pads or clips to exactly `width` columns; numbers align right.
    public static func cell(_ text: String, _ width: Int, right: Bool = false) -> String {
        let scalars = Array(text.unicodeScalars)
        if scalars.count >= width {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars.prefix(width))
            return String(view)
        }
        let pad = String(repeating: " ", count: width - scalars.count)
        return right ? pad + text : text + pad
    }
}
