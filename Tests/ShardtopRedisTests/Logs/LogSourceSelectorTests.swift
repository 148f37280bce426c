import Testing
import ShardtopCore
import ShardtopRedis

@Suite struct LogSourceSelectorTests {
    let local = NodeAddress(host: "127.0.0.1", port: 7000)
    let remote = NodeAddress(host: "10.9.8.7", port: 7000)

    func selector(template: String? = nil, readable: Bool = true) throws -> LogSourceSelector {
        LogSourceSelector(template: try template.map { try LogCommandTemplate(parsing: $0) },
                          isLocalHost: { $0.hasPrefix("127.") }, isReadable: { _ in readable })
    }

    func settings(_ logfile: String, dir: String = "/data") -> Result<NodeLogSettings, ConfigGetError> {
        .success(NodeLogSettings(logfile: .success(logfile), dir: .success(dir)))
    }

    @Test func templateWins() throws {
        let choice = try selector(template: "ssh {host} tail -F /var/log/redis-{port}.log").decide(address: local, id: "abc", config: settings("/x.log"))
        #expect(choice == .command(arguments: ["ssh", "127.0.0.1", "tail", "-F", "/var/log/redis-7000.log"]))
    }

    @Test func localFile() throws {
        #expect(try selector().decide(address: local, id: "", config: settings("/var/log/redis.log")) == .file(path: "/var/log/redis.log"))
        #expect(try selector().decide(address: local, id: "", config: settings("server.log", dir: "/data/7000")) == .file(path: "/data/7000/server.log"))
    }

    @Test func fallbackReasons() throws {
        #expect(try selector().decide(address: local, id: "", config: settings("")) == .fallback(reason: "logfile is empty: the node logs to stdout"))
        #expect(try selector().decide(address: remote, id: "", config: nil) == .fallback(reason: "node is on another host; set log-command in the config"))
        #expect(try selector(readable: false).decide(address: local, id: "", config: settings("/root/r.log")) == .fallback(reason: "log file /root/r.log is not readable by this user"))
        let denied = Result<NodeLogSettings, ConfigGetError>.success(NodeLogSettings(
            logfile: .failure(ConfigGetError(message: "NOPERM User ops has no permissions to run the 'config|get' command")), dir: .success("/")))
        #expect(try selector().decide(address: local, id: "", config: denied) ==
                .fallback(reason: "CONFIG GET logfile failed: NOPERM User ops has no permissions to run the 'config|get' command"))
        #expect(try selector().decide(address: local, id: "", config: .failure(ConfigGetError(message: "timed out"))) ==
                .fallback(reason: "cannot ask the node where it logs: timed out"))
    }

    @Test func loopbackIsLocal() {
        #expect(LocalHost.contains("127.0.0.1"))
        #expect(LocalHost.contains("::1"))
        #expect(LocalHost.contains("localhost"))
        #expect(!LocalHost.contains("192.0.2.1"))  // TEST-NET-1, never assigned to a machine
    }
}
