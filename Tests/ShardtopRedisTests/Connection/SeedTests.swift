import Testing
import ShardtopCore
@testable import ShardtopRedis

@Suite struct SeedTests {
    @Test func schemesDecideTLS() throws {
        #expect(try Seed.parse("10.0.0.5:6379").tls == false)
        #expect(try Seed.parse("redis://10.0.0.5:6379").tls == false)
        #expect(try Seed.parse("valkey://10.0.0.5:6379").tls == false)
        let secure = try Seed.parse("rediss://ops@db.example:6380/0")
        #expect(secure.tls)
        #expect(secure.user == "ops")
        #expect(secure.address == NodeAddress(host: "db.example", port: 6380))
        #expect(try Seed.parse("VALKEYS://10.0.0.5:6379").tls)
    }

    @Test func unknownSchemeSaysWhatIsAccepted() {
        #expect(throws: Seed.ParseError.unsupportedScheme("http")) { try Seed.parse("http://10.0.0.5:6379") }
        let text = Seed.ParseError.unsupportedScheme("http").description
        #expect(text.contains("rediss://host:port for TLS"))
        #expect(!text.contains("planned"))
    }
}
