// swift-tools-version:6.0
import PackageDescription

// Layers point one way: shardtop (executable) -> ShardtopRedis -> ShardtopCore.
// ShardtopCore holds plain values only (no I/O), so a second engine could sit beside ShardtopRedis.
let package = Package(
    name: "shardtop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shardtop", targets: ["shardtop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "ShardtopCore"),
        .target(
            name: "ShardtopRedis",
            dependencies: [
                "ShardtopCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "shardtop",
            dependencies: [
                "ShardtopCore",
                "ShardtopRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ShardtopCoreTests", dependencies: ["ShardtopCore"]),
        .testTarget(
            name: "ShardtopRedisTests",
            dependencies: [
                "ShardtopRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                // Listed so `swift test` builds the binary the CLI tests run.
                "shardtop",
                "ShardtopCore",
                "ShardtopRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
