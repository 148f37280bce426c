import Foundation

/// How many cases each property runs. `swift test` keeps the default small so the suite stays
/// quick on a busy 2-core machine; the campaign (Tests/Fuzz/run-campaign.sh) raises it through
/// SHARDTOP_FUZZ_ITERATIONS, so the same properties serve as unit tests and as the fuzzer.
enum FuzzBudget {
    static func cases(_ normal: Int) -> Int {
        guard let text = ProcessInfo.processInfo.environment["SHARDTOP_FUZZ_ITERATIONS"], let scaled = Int(text), scaled > 0 else {
            return normal
        }
        return scaled
    }
}
