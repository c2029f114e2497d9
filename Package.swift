// swift-tools-version:6.0
import PackageDescription

// The numeric kernels need AVX2 + FMA on x86-64: without them `SIMD8.addProduct`
// becomes a software fused multiply-add and GEMM runs ~100x slower. The manifest is
// compiled for the build host, so this guard matches a native build.
#if arch(x86_64)
let simd: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"])]
#else
let simd: [SwiftSetting] = []
#endif

let package = Package(
    name: "digit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DigitKit", targets: ["DigitKit"]),
        .library(name: "DigitPNG", targets: ["DigitPNG"]),
        .library(name: "DigitPictures", targets: ["DigitPictures"]),
        .executable(name: "digit", targets: ["digit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "CDigitKernels"),
        .target(
            name: "DigitKit",
            dependencies: ["CZlib", "CDigitKernels"],
            resources: [.copy("Resources/default.digitmodel")],
            swiftSettings: simd),
        .target(name: "DigitPNG", dependencies: ["CLibPNG", "DigitKit"], swiftSettings: simd),
        .target(name: "DigitPictures", dependencies: ["DigitKit"]),
        .executableTarget(
            name: "digit",
            dependencies: [
                "DigitKit", "DigitPNG", "DigitPictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: simd),
        .executableTarget(name: "digit-bench", dependencies: ["DigitKit", "DigitPNG"], swiftSettings: simd),
        .testTarget(name: "DigitKitTests", dependencies: ["DigitKit"], swiftSettings: simd),
        .testTarget(name: "DigitPNGTests", dependencies: ["DigitPNG", "DigitKit"]),
        .testTarget(name: "DigitPicturesTests", dependencies: ["DigitPictures", "DigitKit"]),
        .testTarget(name: "DigitCLITests", dependencies: ["DigitKit", "DigitPNG"]),
    ],
    swiftLanguageModes: [.v5]
)
