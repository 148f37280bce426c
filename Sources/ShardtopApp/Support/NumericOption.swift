import ArgumentParser

/// The one check every number on the command line goes through, from the `validate()` of the
/// command or option group that declares it. ArgumentParser runs those before `run()`, so a typo
/// is refused before anything connects, and `Shardtop.main` turns the refusal into one line and
/// exit 2.
///
/// Why checks in `validate()` rather than a bounded wrapper type: the options stay plain `Int` and
/// `Double` for the code that uses them, each bound is written next to the option it bounds, and
/// one `validate()` per shared group (`ConnectionArguments`, `MigrationArguments`, ...) covers
/// every command that includes it. `Double` parses "inf", "nan" and "1e308" without complaint, so
/// a bound here always means finite too; an `Int` option past `Int.max` is refused by
/// ArgumentParser itself, which then reaches the same one-line refusal.
public enum NumericOption {
    public static func check<Number: BinaryInteger>(_ value: Number?, _ name: String, _ range: ClosedRange<Number>, unit: String = "") throws(ValidationError) {
        guard let value, !range.contains(value) else { return }
        throw refusal(name, "\(range.lowerBound)", "\(range.upperBound)", unit: unit, got: "\(value)")
    }

    public static func check(_ value: Double?, _ name: String, _ range: ClosedRange<Double>, unit: String = "") throws(ValidationError) {
        guard let value, !(value.isFinite && range.contains(value)) else { return }
        throw refusal(name, text(range.lowerBound), text(range.upperBound), unit: unit, got: "\(value)")
    }

    /// "--timeout must be between 1 and 600000 ms (got 0)".
    private static func refusal(_ name: String, _ low: String, _ high: String, unit: String, got: String) -> ValidationError {
        ValidationError("\(name) must be between \(low) and \(high)\(unit.isEmpty ? "" : " " + unit) (got \(got))")
    }

    /// 0.1 and 3600 rather than 0.1 and 3600.0.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
