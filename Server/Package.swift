// swift-tools-version:6.0
import PackageDescription

// `digit serve`: the drawing page and the HTTP API, on Hummingbird 2. A package of its own so
// that the core package (`..`), and every package depending on DigitKit, never resolves or
// builds SwiftNIO. Build it once with `swift build -c release --package-path Server`; `digit
// serve` then finds `Server/.build/release/digit-serve`.
let package = Package(
    name: "digit-server",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "digit-serve", targets: ["digit-serve"]),
    ],
    dependencies: [
        .package(name: "digit", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in Hummingbird's graph; named here because the server uses them directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        // The routes, on DigitKit's public API only, as any app would use it.
        .target(
            name: "DigitServer",
            dependencies: [
                .product(name: "DigitKit", package: "digit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/index.html")]),
        .executableTarget(
            name: "digit-serve",
            dependencies: [
                "DigitServer",
                .product(name: "DigitKit", package: "digit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "DigitServerTests",
            dependencies: [
                "DigitServer",
                .product(name: "DigitKit", package: "digit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)
