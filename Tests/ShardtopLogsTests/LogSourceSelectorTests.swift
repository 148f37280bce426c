import Testing
import ShardtopCore
import ShardtopLogs

@Suite struct LogSourceSelectorTests {
    let local = NodeAddress(host: "127.0.0.1", port: 7000)
    let remote = NodeAddress(host: "10.9.8.7", port: 7000)

    func selector(template: String? = nil, pods: [String: String] = [:], readable: Bool = true) throws -> LogSourceSelector {
        LogSourceSelector(template: try template.map { try LogCommandTemplate(parsing: $0) }, pods: pods,
                          isLocalHost: { $0.hasPrefix("127.") }, isReadable: { _ in readable })
    }

    func settings(_ logfile: String, dir: String = "/data") -> Result<NodeLogSettings, ConfigGetError> {
        .success(NodeLogSettings(logfile: .success(logfile), dir: .success(dir)))
    }

    @Test func templateWins() throws {
        let choice = try selector(template: "ssh {host} tail -F /var/log/redis-{port}.log").decide(address: local, id: "abc", config: settings("/x.log"))
        #expect(choice == .command(arguments: ["ssh", "127.0.0.1", "tail", "-F", "/var/log/redis-7000.log"]))
    }

    @Test func podTemplateUsesTheMapOrTheHostnameElseFallsBackWithTheReason() throws {
        let kubectl = try selector(template: "kubectl logs -f {pod}", pods: ["10.9.8.7:7000": "cache-3"])
        #expect(kubectl.decide(address: remote, id: "abc", config: nil) == .command(arguments: ["kubectl", "logs", "-f", "cache-3"]))
        #expect(kubectl.decide(address: local, id: "abc", hostname: "redis-1.redis-headless.prod.svc", config: nil) ==
                .command(arguments: ["kubectl", "logs", "-f", "redis-1"]))
        #expect(kubectl.decide(address: local, id: "abc", config: settings("/x.log")) ==
                .fallback(reason: "log-command uses {pod}, but no pod name is known for 127.0.0.1:7000: map it under 'pods:' in the config, or have the node announce its hostname (cluster-announce-hostname)"))
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
