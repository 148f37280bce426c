import Foundation
import Testing
import ShardtopTestSupport
import ShardtopLab
import ShardtopProcess

/// The lab at a size well past the usual 6 nodes (issue 12: 500 nodes), kept cheap enough for CI:
/// 100 real nodes started, formed and read by a cold `snapshot --json`, on redis only (the
/// engines differ in nothing the lab's size touches). The 500-node figures are the scale bench's.
@Suite(.serialized, .oneClusterAtATime) struct LabScaleTests {
    @Test func aHundredNodeLabFormsAndASnapshotSeesEveryNodeOk() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 50, replicas: 1, nodeTimeoutMillis: 5000) else { return }
        defer { lab.stop() }
        #expect(lab.nodes.count == 100)
        // The lab raised this process's soft open-file limit to what 100 nodes need, or was already there.
        #expect(OpenFileLimit.current().soft >= LabSize(nodes: 100).filesHere)

        let result = try await CLI.run(["snapshot", "\(lab.seed)", "--json"], timeoutSeconds: 60)
        #expect(result.status == 0, "\(result.errorOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["state"] as? String == "ok")
        #expect(json["slotsCovered"] as? Int == 16384)
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.count == 100)
        let notOk = nodes.filter { $0["health"] as? String != "ok" }.compactMap { $0["address"] as? String }
        #expect(notOk.isEmpty, "not ok: \(notOk)")
        #expect(nodes.filter { $0["role"] as? String == "primary" }.count == 50)
    }
}

/// What a lab of a given size asks of the machine, without starting one.
@Suite struct LabSizeTests {
    @Test func fiveHundredNodesIsTheLargestLabAndTheLimitIsSaidInOneLine() {
        #expect(LabSize(nodes: 500).problem == nil)
        let tooBig = LabSize(nodes: 750).problem ?? ""
        #expect(tooBig.contains("at most 500 nodes") && !tooBig.contains("\n"), "\(tooBig)")
        #expect(LabSize.maxPrimaries * 2 == LabSize.maxNodes)
    }

    @Test func bigLabsGetALongerNodeTimeoutAndSmallOnesKeepFiveSeconds() {
        #expect(LabSize(nodes: 6).defaultNodeTimeoutMillis == 5000)
        #expect(LabSize(nodes: 100).defaultNodeTimeoutMillis == 5000)
        #expect(LabSize(nodes: 500).defaultNodeTimeoutMillis > LabSize(nodes: 250).defaultNodeTimeoutMillis)
    }

    @Test func openFilesNeededGrowWithTheNodeCount() {
        let small = LabSize(nodes: 6), big = LabSize(nodes: 500)
        #expect(big.filesHere > small.filesHere && big.filesPerServer > small.filesPerServer)
        #expect(big.filesPerServer >= 2 * 499, "two bus links per peer")
        // Raising never lowers: asking for less than the soft limit leaves it as it is.
        let before = OpenFileLimit.current()
        #expect(OpenFileLimit.raise(toAtLeast: 16) == before)
    }
}
