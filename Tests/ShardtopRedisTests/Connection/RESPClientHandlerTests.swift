import NIOCore
import Testing
import ShardtopRedis

/// The connection handler's own parsing: fragments, pipelining, pushes, bad bytes and the reply cap.
struct RESPClientHandlerTests {
    @Test func fragmentsInEverySizeGiveTheSameReplies() throws {
        let harness = ClientHandlerHarness()
        // Pushes are not replies to anything sent: the handler leaves them out.
        let expected = RESPFixtures.all.map(\.value).filter { if case .push = $0 { false } else { true } }
        let answer = try harness.request(replies: expected.count)
        // Sizes cycle through 1...13 to cut values everywhere.
        try harness.feed(RESPFixtures.all.flatMap(\.wire), inPiecesOf: Array(1...13))
        let replies = try #require(harness.answer(answer)).get()
        #expect(replies == expected)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let harness = ClientHandlerHarness()
        let first = try harness.request(replies: 2)
        let second = try harness.request(replies: 1)
        try harness.feed(Array("+OK\r\n:1".utf8))
        #expect(harness.answer(first) == nil)
        try harness.feed(Array("2\r\n$3\r\nabc\r\n".utf8))
        #expect(try #require(harness.answer(first)).get() == [.simpleString("OK"), .integer(12)])
        #expect(try #require(harness.answer(second)).get() == [.bulkString(Array("abc".utf8))])
    }

    @Test func callbackRequestsAreAnsweredOnceInOrderBesidePromiseRequests() throws {
        let harness = ClientHandlerHarness()
        let first = try harness.callbackRequest(replies: 2)
        let second = try harness.request(replies: 1)
        let third = try harness.callbackRequest(replies: 1)
        try harness.feed(Array("+OK\r\n:1".utf8))
        #expect(first.calls.withLockedValue { $0.isEmpty })
        try harness.feed(Array("2\r\n$3\r\nabc\r\n:7\r\n".utf8))
        let firstCalls = first.calls.withLockedValue { $0 }
        #expect(firstCalls.count == 1)
        #expect(try firstCalls[0].get() == [.simpleString("OK"), .integer(12)])
        #expect(try #require(harness.answer(second)).get() == [.bulkString(Array("abc".utf8))])
        let thirdCalls = third.calls.withLockedValue { $0 }
        #expect(thirdCalls.count == 1)
        #expect(try thirdCalls[0].get() == [.integer(7)])
    }

    @Test func aBadByteFailsEachWaitingCallbackOnce() throws {
        let harness = ClientHandlerHarness()
        let first = try harness.callbackRequest(replies: 1)
        let second = try harness.callbackRequest(replies: 1)
        try harness.feed(Array("+OK\r\n*21474".utf8))
        try harness.feed(Array("83647\r\n".utf8))
        #expect(first.calls.withLockedValue { $0.count } == 1)
        let secondCalls = second.calls.withLockedValue { $0 }
        #expect(secondCalls.count == 1)
        #expect(throws: RedisClientError.self) { try secondCalls[0].get() }
        #expect(!harness.channel.isActive)
        // Closing again (as a deadline would) tells no one twice.
        try? harness.channel.close().wait()
        #expect(second.calls.withLockedValue { $0.count } == 1)
    }

    @Test func aBadByteFailsWhatIsWaitingAndClosesTheConnection() throws {
        let harness = ClientHandlerHarness()
        let first = try harness.request(replies: 1)
        let second = try harness.request(replies: 1)
        try harness.feed(Array("+OK\r\n*21474".utf8))
        #expect(try #require(harness.answer(first)).get() == [.simpleString("OK")])
        try harness.feed(Array("83647\r\n".utf8))
        let failure = try #require(harness.answer(second))
        #expect(throws: RedisClientError.self) { try failure.get() }
        #expect("\(failure)".contains("2147483647"), "\(failure)")
        #expect(!harness.channel.isActive)
    }

    @Test func aReplyWithNoRequestOutstandingIsAProtocolViolation() throws {
        let harness = ClientHandlerHarness()
        let waiting = try harness.request(replies: 1)
        try harness.feed(Array("+OK\r\n+EXTRA\r\n".utf8))
        #expect(try #require(harness.answer(waiting)).get() == [.simpleString("OK")])
        #expect(!harness.channel.isActive)
    }

    @Test func anUnfinishedReplyPastTheCapIsRefusedBeforeItAllArrives() throws {
        var limits = RESPLimits.default
        limits.maxReplyBytes = 1024
        let harness = ClientHandlerHarness(limits: limits)
        let waiting = try harness.request(replies: 1)
        try harness.feed(Array("$4000\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1100))
        let failure = try #require(harness.answer(waiting))
        #expect("\(failure)".contains("a reply larger than 1 KiB (refused before it all arrived)"), "\(failure)")
    }
}
