import Testing
import ShardtopCore

@Suite struct LogCommandTemplateTests {
    @Test func splitsBeforeSubstituting() throws {
        let template = try LogCommandTemplate(parsing: "ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log")
        #expect(template.expand(host: "10.0.0.5", port: 6379, id: "abc") ==
                ["ssh", "10.0.0.5", "tail", "-n", "200", "-F", "/var/log/redis/redis-server-6379.log"])
    }

    @Test func hostileValuesStayOneArgument() throws {
        let template = try LogCommandTemplate(parsing: "journalctl  -u\tredis@{port} --grep={id}:{host}")
        let expanded = template.expand(host: "a b; rm -rf / $(x) `y` {port}", port: 7000, id: "id with spaces")
        #expect(expanded == ["journalctl", "-u", "redis@7000", "--grep=id with spaces:a b; rm -rf / $(x) `y` {port}"])
    }

    @Test func rejectsWhatCannotWork() {
        #expect(throws: LogCommandTemplateError.empty) { try LogCommandTemplate(parsing: "  \t ") }
        #expect(throws: LogCommandTemplateError.unknownPlaceholder("{pod}")) { try LogCommandTemplate(parsing: "kubectl logs -f {pod}") }
        #expect(throws: LogCommandTemplateError.placeholderInProgram("{host}")) { try LogCommandTemplate(parsing: "{host} tail") }
        #expect(LogCommandTemplateError.unknownPlaceholder("{pod}").description == "unknown placeholder {pod} in log-command (known: {host} {port} {id})")
    }

    @Test func unmatchedBracesAreLiteral() throws {
        let template = try LogCommandTemplate(parsing: "tail {port -F} x{")
        #expect(template.expand(host: "h", port: 1, id: "i") == ["tail", "{port", "-F}", "x{"])
        // A misspelt placeholder is an error, not a literal: "{hots}" would silently tail nothing.
        #expect(throws: LogCommandTemplateError.unknownPlaceholder("{hots}")) { try LogCommandTemplate(parsing: "ssh {hots} tail") }
    }
}
