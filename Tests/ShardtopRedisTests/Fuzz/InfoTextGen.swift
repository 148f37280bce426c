import PropertyBased

/// INFO and CLUSTER INFO replies: the fields shardtop reads, with values that are right, wrong,
/// out of range or hostile, in random order, under section headers, then mutated.
enum InfoTextGen {
    static let keys = [
        "server_name", "redis_version", "valkey_version", "loading", "role", "uptime_in_seconds", "instantaneous_ops_per_sec",
        "total_commands_processed", "used_memory", "maxmemory", "connected_clients", "used_cpu_sys", "used_cpu_user",
        "master_repl_offset", "slave_repl_offset", "master_host", "master_port", "master_link_status", "master_last_io_seconds_ago",
        "master_link_down_since_seconds", "master_sync_in_progress", "master_sync_perc", "slave0", "slave1", "slave12", "db0", "db15",
        "cluster_state", "cluster_slots_assigned", "cluster_slots_ok", "cluster_known_nodes", "cluster_size", "cluster_current_epoch",
    ]

    static let values = [
        "", "0", "1", "-1", "7.2.4", "valkey", "redis", "master", "slave", "replica", "up", "down", "ok", "fail", "nan", "inf", "-inf",
        "1e308", "1e309", "12.5", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "65535", "65536",
        "10.0.0.1", "::1", "keys=9223372036854775807,expires=0", "keys=-5", "keys=12,expires=1,avg_ttl=0",
        "ip=10.0.0.2,port=7001,state=online,offset=99,lag=0", "ip=,port=x", "ip=\u{1B}[2J,port=1,state=\u{9B}x,offset=1,lag=1",
        "\u{1B}]0;pwned\u{07}", "7.0\u{7F}\u{85}", "a:b:c", "=,=,=",
    ]

    static var mutated: Generator<String, Shrink.None<String>> {
        Generator { rng in
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                if Int.random(in: 0..<6, using: &rng) == 0 { text += "# Section\r\n" }
                text += "\(keys.randomElement(using: &rng)!):\(values.randomElement(using: &rng)!)\r\n"
            }
            return TextMutation.apply(to: text, edits: Int.random(in: 0...3, using: &rng), using: &rng)
        }
    }
}
