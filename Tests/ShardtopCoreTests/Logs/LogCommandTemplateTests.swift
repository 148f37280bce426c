import Testing
import ShardtopCore

@Suite struct LogCommandTemplateTests {
    func node(_ host: String, _ port: Int, _ id: String, hostname: String? = nil, pod: String? = nil) -> NodeLogValues {
        NodeLogValues(host: host, port: port, id: id, hostname: hostname, pod: pod)
    }

    @Test func splitsBeforeSubstituting() throws {
        let template = try LogCommandTemplate(parsing: "ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log")
        #expect(try template.expand(node("10.0.0.5", 6379, "abc")) ==
                ["ssh", "10.0.0.5", "tail", "-n", "200", "-F", "/var/log/redis/redis-server-6379.log"])
    }

    @Test func hostileValuesStayOneArgument() throws {
        let template = try LogCommandTemplate(parsing: "journalctl  -u\tredis@{port} --grep={id}:{host}")
        let expanded = try template.expand(node("a b; rm -rf / $(x) `y` {port}", 7000, "id with spaces"))
        #expect(expanded == ["journalctl", "-u", "redis@7000", "--grep=id with spaces:a b; rm -rf / $(x) `y` {port}"])
        // A hostname comes from gossip: it too stays inside its one argument.
        let kubectl = try LogCommandTemplate(parsing: "kubectl logs -f {pod} -c {hostname}")
        #expect(try kubectl.expand(node("h", 1, "i", hostname: "x; reboot", pod: "--all-namespaces")) ==
                ["kubectl", "logs", "-f", "--all-namespaces", "-c", "x; reboot"])
    }

    @Test func podAndHostnameFillInOrSayWhatIsMissing() throws {
        let template = try LogCommandTemplate(parsing: "kubectl logs -f {pod} --tail=200")
        #expect(try template.expand(node("10.0.0.5", 6379, "abc", pod: "redis-0")) == ["kubectl", "logs", "-f", "redis-0", "--tail=200"])
        #expect(throws: LogCommandTemplateError.noValue(placeholder: "{pod}", node: "10.0.0.5:6379")) {
            try template.expand(node("10.0.0.5", 6379, "abc"))
        }
        #expect(LogCommandTemplateError.noValue(placeholder: "{pod}", node: "10.0.0.5:6379").description ==
                "log-command uses {pod}, but no pod name is known for 10.0.0.5:6379: map it under 'pods:' in the config, or have the node announce its hostname (cluster-announce-hostname)")
        let ssh = try LogCommandTemplate(parsing: "ssh {hostname} journalctl -u redis@{port}")
        #expect(try ssh.expand(node("10.0.0.5", 6379, "abc", hostname: "cache-1.example")) == ["ssh", "cache-1.example", "journalctl", "-u", "redis@6379"])
        #expect(throws: LogCommandTemplateError.noValue(placeholder: "{hostname}", node: "10.0.0.5:6379")) { try ssh.expand(node("10.0.0.5", 6379, "abc")) }
    }

    @Test func podNamesComeFromTheMapThenTheAnnouncedHostname() {
        let address = NodeAddress(host: "10.0.0.5", port: 6379)
        let map = ["10.0.0.5:6379": "cache-a", "f00d": "cache-b"]
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: "redis-0.redis-headless", map: map) == "cache-a")
        #expect(NodeLogValues.pod(address: NodeAddress(host: "10.0.0.6", port: 6379), id: "f00d", hostname: nil, map: map) == "cache-b")
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: "redis-0.redis-headless.prod.svc.cluster.local", map: [:]) == "redis-0")
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: "redis-2", map: [:]) == "redis-2")
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: nil, map: [:]) == nil)
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: "10.0.0.5", map: [:]) == nil, "an IP is not a pod name")
        #expect(NodeLogValues.pod(address: address, id: "x", hostname: "fe80::1", map: [:]) == nil)
    }

    @Test func rejectsWhatCannotWork() {
        #expect(throws: LogCommandTemplateError.empty) { try LogCommandTemplate(parsing: "  \t ") }
        #expect(throws: LogCommandTemplateError.unknownPlaceholder("{namespace}")) { try LogCommandTemplate(parsing: "kubectl logs -n {namespace} {pod}") }
        #expect(throws: LogCommandTemplateError.placeholderInProgram("{host}")) { try LogCommandTemplate(parsing: "{host} tail") }
        #expect(LogCommandTemplateError.unknownPlaceholder("{namespace}").description == "unknown placeholder {namespace} in log-command (known: {host} {port} {id} {hostname} {pod})")
    }

    @Test func unmatchedBracesAreLiteral() throws {
        let template = try LogCommandTemplate(parsing: "tail {port -F} x{")
        #expect(try template.expand(node("h", 1, "i")) == ["tail", "{port", "-F}", "x{"])
        // A misspelt placeholder is an error, not a literal: "{hots}" would silently tail nothing.
        #expect(throws: LogCommandTemplateError.unknownPlaceholder("{hots}")) { try LogCommandTemplate(parsing: "ssh {hots} tail") }
    }
}
