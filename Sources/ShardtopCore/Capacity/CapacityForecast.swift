/// A rate with the range it plausibly lies in: the least-squares slope plus or minus two standard
/// errors (about 95% if the noise is roughly normal and independent, which poll samples only
/// approximately are, so it is a guide, not a guarantee).
public struct RateEstimate: Hashable, Sendable {
    public var perSecond: Double
    public var low: Double
    public var high: Double

    public init(perSecond: Double, low: Double, high: Double) {
        self.perSecond = perSecond
        self.low = low
        self.high = high
    }

    /// Least squares over (time, value) points; nil for fewer than three points or no time spread.
    static func fit(_ points: [(t: Double, v: Double)]) -> RateEstimate? {
        let n = Double(points.count)
        guard points.count >= 3 else { return nil }
        let meanT = points.reduce(0) { $0 + $1.t } / n
        let meanV = points.reduce(0) { $0 + $1.v } / n
        var sxx = 0.0, sxy = 0.0
        for p in points {
            sxx += (p.t - meanT) * (p.t - meanT)
            sxy += (p.t - meanT) * (p.v - meanV)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        var residuals = 0.0
        for p in points {
            let r = p.v - (meanV + slope * (p.t - meanT))
            residuals += r * r
        }
        let standardError = (residuals / (n - 2)).squareRoot() / sxx.squareRoot()
        guard slope.isFinite, standardError.isFinite else { return nil }
        return RateEstimate(perSecond: slope, low: slope - 2 * standardError, high: slope + 2 * standardError)
    }
}

/// When a shard reaches its maxmemory at the rate its memory grew recently, with the uncertainty
/// of that rate, or why no such time can be given.
public struct CapacityForecast: Hashable, Sendable {
    public enum Fill: Hashable, Sendable {
        /// Too few samples, or too short a span, to fit a rate worth showing.
        case notEnoughHistory(samples: Int, seconds: Double)
        /// maxmemory is 0: nothing to fill up to.
        case noLimit
        /// Already at (or past) maxmemory: writes now evict or fail, by policy.
        case atLimit
        /// Memory is not growing, or the data cannot tell growth from noise.
        case notGrowing
        /// Seconds until maxmemory at the fitted rate; `soonest` at the high end of the rate's
        /// range, `latest` at the low end (nil when the low end is not growth at all).
        case fills(inSeconds: Double, soonest: Double, latest: Double?)
    }

    /// Samples older than this (seconds before the newest) are left out: the forecast follows the
    /// recent rate, not the whole session's average.
    public static let window: Double = 600
    public static let minimumSamples = 10
    public static let minimumSeconds: Double = 20

    public var memory: RateEstimate?
    public var keys: RateEstimate?
    public var fill: Fill
    /// The newest sample the forecast starts from.
    public var latest: CapacitySample?

    public init(memory: RateEstimate?, keys: RateEstimate?, fill: Fill, latest: CapacitySample?) {
        self.memory = memory
        self.keys = keys
        self.fill = fill
        self.latest = latest
    }

    public init(samples all: [CapacitySample], window: Double = Self.window) {
        guard let last = all.last else {
            self.init(memory: nil, keys: nil, fill: .notEnoughHistory(samples: 0, seconds: 0), latest: nil)
            return
        }
        // Only the stretch with the current limit: a CONFIG SET maxmemory starts a new story.
        var samples = all.filter { last.time - $0.time <= window }
        if let change = samples.lastIndex(where: { $0.maxMemory != last.maxMemory }) {
            samples = Array(samples[(change + 1)...])
        }
        let span = last.time - (samples.first?.time ?? last.time)
        let memory = RateEstimate.fit(samples.map { ($0.time, Double($0.usedMemory)) })
        let keys = RateEstimate.fit(samples.map { ($0.time, Double($0.keys)) })
        let fill: Fill
        if last.maxMemory <= 0 {
            fill = .noLimit
        } else if last.usedMemory >= last.maxMemory {
            fill = .atLimit
        } else if samples.count < Self.minimumSamples || span < Self.minimumSeconds {
            fill = .notEnoughHistory(samples: samples.count, seconds: span)
        } else if let memory, memory.perSecond > 0, memory.low > 0 {
            let room = Double(last.maxMemory - last.usedMemory)
            fill = .fills(inSeconds: room / memory.perSecond, soonest: room / memory.high, latest: room / memory.low)
        } else if let memory, memory.perSecond > 0 {
            // Growing at the fitted rate, but the range includes no growth: a time with no upper bound.
            let room = Double(last.maxMemory - last.usedMemory)
            fill = .fills(inSeconds: room / memory.perSecond, soonest: room / memory.high, latest: nil)
        } else {
            fill = .notGrowing
        }
        self.init(memory: samples.count >= Self.minimumSamples ? memory : nil,
                  keys: samples.count >= Self.minimumSamples ? keys : nil, fill: fill, latest: last)
    }

    /// Seconds to the fitted fill, only when the growth is clear (its whole range is growth).
    public var confidentFillSeconds: Double? {
        if case .fills(let seconds, _, let latest) = fill, latest != nil { return seconds }
        return nil
    }
}
