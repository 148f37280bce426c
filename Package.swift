// swift-tools-version:6.0
import PackageDescription

// The layers, each target importing only those below it (the compiler enforces it):
//   1. ShardtopCore: plain values (snapshot, events, plans, findings, log lines); no I/O.
//   2. The edges, beside each other on the core: ShardtopRedis (the connector: RESP, connections,
//      wire parsers, the poller, migrators, failover), ShardtopUI (pure: state in, cell grid out),
//      ShardtopConfig, ShardtopRecording; ShardtopProcess (spawning children, free ports) and
//      ShardtopCertificates need not even the core. Within the layer: ShardtopLogs (file tail, log
//      commands, the source selector) sits on ShardtopProcess, ShardtopTerminal (the only ncurses
//      code) on ShardtopUI, ShardtopLab (local clusters) on the connector, ShardtopProcess and
//      ShardtopCertificates. The connector imports none of them.
//   3. ShardtopApp: the dashboard's wiring and the commands' work, callable by tests without the binary.
//   4. Executables: shardtop (argument parsing only) and shardtop-bench (the README's benchmarks).
// A second engine would sit beside ShardtopRedis and reuse the lab's processes and the log sources.
let package = Package(
    name: "shardtop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shardtop", targets: ["shardtop"]),
        .executable(name: "shardtop-bench", targets: ["shardtop-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // gzip for recordings (`--record FILE.gz`), streamed so a killed session leaves a readable file.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // TLS on every connection to a node (rediss://, --tls), and the lab's throwaway CA.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        // Property-based tests (generators, shrinking) for the fuzz campaign on the RESP decoder and
        // the CLUSTER NODES / INFO parsers; a test dependency only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .target(name: "ShardtopCore"),
        // ncursesw from libncurses-dev; the module map links it, shim.h wraps the macros Swift cannot import.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(
            name: "ShardtopUI",
            dependencies: ["ShardtopCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "ShardtopTerminal", dependencies: ["ShardtopUI", "CNcurses"]),
        // The config file (named clusters); its own small target so the CLI and tests share it.
        // Recording files (JSON lines, gzip when the name ends in .gz) for --record and replay.
        .target(
            name: "ShardtopRecording",
            dependencies: ["ShardtopCore", .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "ShardtopConfig", dependencies: ["ShardtopCore", .product(name: "Yams", package: "Yams")]),
        // A throwaway certificate authority for `lab --tls` and the TLS tests: certificates made
        // in-process (swift-certificates), so a test can also make an expired or foreign one.
        .target(
            name: "ShardtopCertificates",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "ShardtopRedis",
            dependencies: [
                "ShardtopCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // Children started clean (signal mask, process group, no inherited descriptors) and free
        // loopback ports: engine-agnostic, shared by the lab and the log commands.
        .target(name: "ShardtopProcess", dependencies: [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        // A node's own log: its file when local, or an operator's command (ssh, kubectl); no Redis code.
        .target(name: "ShardtopLogs", dependencies: ["ShardtopCore", "ShardtopProcess"]),
        // `shardtop lab`: real local clusters of redis-server or valkey-server.
        .target(
            name: "ShardtopLab",
            dependencies: [
                "ShardtopCore", "ShardtopRedis", "ShardtopProcess", "ShardtopCertificates",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // What the commands do, apart from reading their arguments: the dashboard's wiring, action
        // sessions, headless output. ArgumentParser only for ExitCode, the exit-status currency.
        .target(
            name: "ShardtopApp",
            dependencies: [
                "ShardtopCore", "ShardtopRedis", "ShardtopUI", "ShardtopTerminal", "ShardtopConfig",
                "ShardtopRecording", "ShardtopLogs", "ShardtopLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // sha256 of each backup file (shardtop backup's manifest).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "shardtop",
            dependencies: [
                "ShardtopApp", "ShardtopCore", "ShardtopRedis", "ShardtopUI", "ShardtopConfig", "ShardtopRecording",
                "ShardtopLogs", "ShardtopLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A release binary without its DWARF (154 MB -> 101 MB); the symbol table stays, for perf
            // and backtraces. Changes neither the RSS nor the start-up (issue 12: measured).
            // Without --export-dynamic (which the static stdlib's link arguments add), the loader no
            // longer sees 33,000 symbols nothing looks up (dlsym here asks only libc): a cold start
            // about 1 ms shorter (issue 12: measured).
            // Still position-independent: -no-pie would spare the loader 114,000 relative
            // relocations and 300 copied pages at every start (a cold `snapshot` 1.1-1.3 ms shorter,
            // measured again in the sixth round), but it puts the executable's code at a fixed
            // address in a tool that parses what possibly hostile nodes send (issue 12: not used).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--strip-debug", "-Xlinker", "--no-export-dynamic"],
                                          .when(platforms: [.linux], configuration: .release))]
        ),
        // The README's benchmarks, apart from the product: shardtop against redis-cli and htop.
        .executableTarget(
            name: "shardtop-bench",
            dependencies: [
                "ShardtopApp", "ShardtopCore", "ShardtopRedis", "ShardtopUI", "ShardtopLab", "ShardtopProcess",
                "ShardtopCertificates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only: the gates that keep real-server suites, and CPU-bound suites, from running beside their own kind.
        .target(name: "ShardtopTestSupport", path: "Tests/ShardtopTestSupport"),
        .testTarget(name: "ShardtopCoreTests", dependencies: ["ShardtopCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShardtopConfigTests", dependencies: ["ShardtopConfig", "ShardtopCore"]),
        .testTarget(
            name: "ShardtopUITests",
            dependencies: ["ShardtopUI", "ShardtopCore"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "ShardtopRedisTests",
            dependencies: [
                "ShardtopRedis",
                // Free ports for a fake node in the log fallback's test.
                "ShardtopProcess",
                "ShardtopTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ShardtopLogsTests", dependencies: ["ShardtopLogs", "ShardtopCore"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                // Listed so `swift test` builds the binaries the CLI tests run.
                "shardtop",
                "shardtop-bench",
                "ShardtopApp",
                "ShardtopLab",
                "ShardtopProcess",
                "ShardtopUI",
                "ShardtopRecording",
                "ShardtopCore",
                "ShardtopRedis",
                "ShardtopCertificates",
                "ShardtopTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
