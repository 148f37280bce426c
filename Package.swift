// swift-tools-version:6.0
import PackageDescription

// Layers point one way: shardtop (executable) -> ShardtopTerminal -> ShardtopUI -> ShardtopCore,
// and shardtop -> ShardtopRedis -> ShardtopCore (ShardtopRedis also uses ShardtopCertificates, the
// lab's throwaway CA). ShardtopCore holds plain values only (no I/O),
// so a second engine could sit beside ShardtopRedis; ShardtopUI is pure (state in, cell grid out),
// and ShardtopTerminal is the only code that touches ncurses.
let package = Package(
    name: "shardtop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shardtop", targets: ["shardtop"]),
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
                "ShardtopCertificates",
                // sha256 of each backup file (shardtop backup's manifest).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "shardtop",
            dependencies: [
                "ShardtopCore",
                "ShardtopRedis",
                "ShardtopUI",
                "ShardtopTerminal",
                "ShardtopConfig",
                "ShardtopRecording",
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
                "ShardtopTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                // Listed so `swift test` builds the binary the CLI tests run.
                "shardtop",
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
