import Foundation
import Testing
import ShardtopConfig
import ShardtopCore

@Suite struct ConfigFileTests {
    let path = "/home/op/.config/shardtop/config.yaml"

    @Test func fullContext() throws {
        let text = """
        # comment
        clusters:
          prod:
            seeds: [10.0.0.5:6379, "redis://ops@10.0.0.6:6379"]
            user: ops
            password-file: ~/.config/shardtop/prod.password
            log-command: ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log
            theme: dark
            interval: 2.5
          lab:
            seeds: 127.0.0.1:7000
            password-file: lab.password
          k8s:
            log-command: kubectl logs -f {pod} --tail=200
            pods:
              10.0.0.5:6379: redis-0
              0123456789abcdef0123456789abcdef01234567: redis-1
        """
        let config = try ConfigFile.parse(text, path: path, environment: ["HOME": "/home/op"])
        let prod = try config.context(named: "prod")
        #expect(prod == ClusterContext(
            name: "prod", seeds: ["10.0.0.5:6379", "redis://ops@10.0.0.6:6379"], user: "ops",
            passwordFile: "/home/op/.config/shardtop/prod.password",
            logCommand: "ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log", theme: "dark", interval: 2.5, line: 3))
        let lab = try config.context(named: "lab")
        #expect(lab.seeds == ["127.0.0.1:7000"])
        #expect(lab.passwordFile == "/home/op/.config/shardtop/lab.password")
        let k8s = try config.context(named: "k8s")
        #expect(k8s.pods == ["10.0.0.5:6379": "redis-0", "0123456789abcdef0123456789abcdef01234567": "redis-1"])
    }

    @Test func errorsNameFileAndLine() {
        let cases: [(String, String)] = [
            ("clusters:\n  prod:\n    pasword-file: x\n", "\(path):3: unknown key 'pasword-file' in cluster 'prod' (known keys: seeds, user, password-file, tls, log-command, pods, theme, interval)"),
            ("clusters:\n  prod:\n    pods: [redis-0]\n", "\(path):3: 'pods' maps a node (host:port or node id) to its pod name, e.g. pods: { 10.0.0.5:6379: redis-0 }"),
            ("clusters:\n  prod:\n    interval: fast\n", "\(path):3: 'interval' is seconds between polls, a number above 0 (got 'fast')"),
            ("cluster:\n  prod: {}\n", "\(path):1: unknown key 'cluster' (known keys: clusters)"),
            ("clusters:\n  prod:\n    seeds: [a:1\n", "\(path):4: not valid YAML: did not find expected ',' or ']'"),
            ("clusters:\n  prod: {}\n  prod: {}\n", "\(path):2: duplicate key 'prod': each key may appear once"),
            ("clusters:\n  prod:\n    seeds: {a: 1}\n", "\(path):3: 'seeds' is a list of host:port, e.g. [10.0.0.5:6379]"),
        ]
        for (text, expected) in cases {
            #expect(throws: (any Error).self) { try ConfigFile.parse(text, path: path) }
            do {
                _ = try ConfigFile.parse(text, path: path)
            } catch {
                #expect(error.description == expected)
            }
        }
    }

    @Test func unknownContext() throws {
        let config = try ConfigFile.parse("# clusters I know\nclusters:\n  prod: {}\n  staging: {}\n", path: path)
        #expect(throws: ConfigError(file: path, line: 2, message: "no cluster named 'dev' (known: prod, staging)")) {
            try config.context(named: "dev")
        }
        let empty = try ConfigFile.parse("", path: path)
        #expect(throws: ConfigError(file: path, message: "no cluster named 'x' (the file defines no clusters)")) { try empty.context(named: "x") }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/shardtop/config.yaml")
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/shardtop/config.yaml")
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]) == "/h/.config/shardtop/config.yaml")
    }

    @Test func missingFile() {
        #expect(throws: ConfigError(file: "/nonexistent/config.yaml", message: "no such config file")) {
            try ConfigFile.load(path: "/nonexistent/config.yaml")
        }
    }

    @Test func tlsFieldsAreReadAndResolved() throws {
        let text = """
        clusters:
          prod:
            seeds: [10.0.0.5:6379]
            tls:
              cacert: certs/ca.crt
              cert: ~/client.crt
              key: /etc/shardtop/client.key
              server-name: redis.internal
          plain:
            seeds: [10.0.0.6:6379]
            tls: false
          system:
            seeds: [10.0.0.7:6379]
            tls: true
        """
        let config = try ConfigFile.parse(text, path: path, environment: ["HOME": "/home/op"])
        #expect(try config.context(named: "prod").tls == TLSSettings(
            caFile: "/home/op/.config/shardtop/certs/ca.crt", certificateFile: "/home/op/client.crt",
            keyFile: "/etc/shardtop/client.key", serverName: "redis.internal"
        ))
        #expect(try config.context(named: "plain").tls == nil)
        #expect(try config.context(named: "system").tls == TLSSettings())

        let bad = "clusters:\n  prod:\n    tls:\n      ca: x\n"
        #expect(throws: ConfigError.self) { try ConfigFile.parse(bad, path: path, environment: [:]) }
        do {
            _ = try ConfigFile.parse(bad, path: path, environment: [:])
        } catch {
            #expect(error.description.contains("unknown key 'ca' in the tls of cluster 'prod'"), "\(error.description)")
        }
    }
}
