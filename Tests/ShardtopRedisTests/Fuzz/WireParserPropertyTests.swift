import PropertyBased
import ShardtopCore
import Testing
import ShardtopTestSupport

import ShardtopRedis

/// CLUSTER NODES, CLUSTER INFO and INFO on generated and broken text: the parsers never trap,
/// CLUSTER NODES reads back exactly what was rendered, and every server-provided string they
/// return is free of control bytes once it has been through the display sanitizer.
@Suite(.serialized, .oneCPUBoundAtATime) struct WireParserPropertyTests {
    @Test func clusterNodesReadsBackWhatWasRendered() async {
        await propertyCheck(count: FuzzBudget.cases(500), input: ClusterNodesTextGen.reply()) { reply in
            let parsed = try ClusterNodesParser.parse(reply.text)
            #expect(parsed == reply.entries)
        }
    }

    @Test func clusterNodesOnBrokenTextParsesOrExplainsItself() async {
        await propertyCheck(count: FuzzBudget.cases(1_000), input: ClusterNodesTextGen.mutated) { text in
            checkAllParsers(text)
        }
    }

    @Test func infoParsersOnBrokenTextNeverTrap() async {
        await propertyCheck(count: FuzzBudget.cases(1_000), input: InfoTextGen.mutated) { text in
            checkAllParsers(text)
        }
    }

    @Test func anyUnicodeTextNeverTraps() async {
        let scalar = Gen.unicodeScalar(in: "\u{0}"..."\u{2FFF}")
        await propertyCheck(count: FuzzBudget.cases(500), input: scalar.array(of: 0...200)) { scalars in
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            checkAllParsers(String(text))
        }
    }
}

/// Runs every text parser on `text` and checks what comes out; shared with the corpus replay.
func checkAllParsers(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let entries = try ClusterNodesParser.parse(text)
        for entry in entries {
            let server = [entry.id, entry.address?.host, entry.hostname, entry.primaryID] + entry.openSlots.map(\.peerID)
            expectDisplaySafe(server.compactMap { $0 }, from: text, sourceLocation: sourceLocation)
            #expect(entry.slots.allSatisfy { 0 <= $0.start && $0.start <= $0.end && $0.end < hashSlotCount }, sourceLocation: sourceLocation)
        }
    } catch let error as WireParseError {
        expectDisplaySafe([error.description], from: text, sourceLocation: sourceLocation)
    } catch {
        Issue.record("CLUSTER NODES threw \(type(of: error)), not WireParseError", sourceLocation: sourceLocation)
    }
    let info = ServerInfoParser.parse(text)
    let replicaText = info.replicas.flatMap { [$0.address.host, $0.state] }
    expectDisplaySafe([info.serverName, info.version, info.primaryAddress?.host].compactMap { $0 } + replicaText, from: text, sourceLocation: sourceLocation)
    #expect(info.keys >= 0, sourceLocation: sourceLocation)
    expectDisplaySafe([ClusterInfoParser.parse(text).state], from: text, sourceLocation: sourceLocation)
}

/// Server text is data, so the parsers keep it as it came; what must hold is that the display
/// sanitizer leaves no C0, DEL or C1 control in it, whatever it holds.
private func expectDisplaySafe(_ fields: [String], from text: String, sourceLocation: SourceLocation) {
    for field in fields {
        let shown = sanitizedForDisplay(field, limit: .max)
        if shown.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) {
            Issue.record("control byte survives sanitizing \(FuzzText.shown(Array(field.utf8))) from \(FuzzText.shown(Array(text.utf8)))", sourceLocation: sourceLocation)
        }
    }
}
