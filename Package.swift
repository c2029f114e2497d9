// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "digit",
    platforms: [.macOS(.v15)],
    products: [
        // The library for apps: one call from a PNG (or a GrayImage) to a digit, one for whole
        // numbers, one to load a model (see README, "Using DigitKit as a library").
        .library(name: "DigitKit", targets: ["DigitKit"]),
        .executable(name: "digit", targets: ["digit"]),
        // The web page and HTTP API (`digit serve` runs it): its own product, so that building
        // `digit` never builds SwiftNIO.
        .executable(name: "digit-serve", targets: ["digit-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in Hummingbird's graph; named here because the server uses them directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    // Layers, each depending only on those above it:
    //   DigitImage, DigitFiles      leaves: image types and pixel geometry; paths, file errors, atomic writes
    //   DigitCompute                pure compute: kernels, layers, network, optimizers, trainer, scheduler
    //   DigitStore                  persistence: IDX, gzip, model and checkpoint files, the bundled model
    //   DigitVision                 pure vision: preprocessing, segmentation, picture -> prediction
    //   DigitPNG, DigitJPEG,        the PNG and JPEG codecs and the drawings, on the image types only
    //   DigitPictures
    //   DigitKit                    the library's public API: PNG bytes or files -> predictions
    //   DigitFormats                the JSON lines of readings, shared by the CLI and the server
    //   DigitEnvironment, digit     the command line: environment policy, flags, output formats
    //   DigitServer, digit-serve    the web page and HTTP API on Hummingbird (`digit serve`)
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libjpeg reports fatal errors by calling error_exit, which must not return: the shim
        // owns the setjmp that catches them, so no longjmp ever crosses a Swift frame.
        .target(name: "CJPEGShim", dependencies: ["CLibJPEG"]),
        // The hot loops (GEMM, direct convolution, max pooling) in C: AVX2 + FMA kernels
        // compiled per function with target attributes, chosen at run time by what the CPU
        // supports, and a portable fallback. No compiler flags, so DigitKit can be a
        // dependency by version.
        .target(name: "CDigitKernels"),
        .target(name: "DigitImage"),
        .target(name: "DigitFiles"),
        .target(name: "DigitCompute", dependencies: ["DigitImage", "CDigitKernels"]),
        .target(
            name: "DigitStore",
            dependencies: ["DigitCompute", "DigitFiles", "CZlib"],
            resources: [.copy("Resources/default.digitmodel")]),
        .target(name: "DigitVision", dependencies: ["DigitImage", "DigitCompute"]),
        .target(name: "DigitPNG", dependencies: ["CLibPNG", "DigitImage", "DigitFiles"]),
        .target(name: "DigitJPEG", dependencies: ["CJPEGShim", "DigitImage", "DigitFiles"]),
        .target(name: "DigitPictures", dependencies: ["DigitImage"]),
        .target(name: "DigitKit", dependencies: ["DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG", "DigitJPEG"]),
        .target(name: "DigitFormats", dependencies: ["DigitVision"]),
        .target(name: "DigitEnvironment"),
        .executableTarget(
            name: "digit",
            dependencies: [
                "DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG",
                "DigitJPEG", "DigitPictures", "DigitEnvironment", "DigitFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "DigitServer",
            dependencies: [
                "DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG", "DigitFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/index.html")]),
        .executableTarget(
            name: "digit-serve",
            dependencies: [
                "DigitServer", "DigitCompute", "DigitEnvironment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "digit-bench",
            dependencies: ["DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG", "DigitEnvironment"]),
        .testTarget(
            name: "DigitKitTests",
            dependencies: ["DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitEnvironment", "DigitJPEG", "CZlib"]),
        .testTarget(name: "DigitPNGTests", dependencies: ["DigitPNG", "DigitImage", "DigitFiles", "DigitStore", "DigitVision", "CZlib"]),
        .testTarget(name: "DigitJPEGTests", dependencies: ["DigitJPEG", "DigitPNG", "DigitImage", "DigitFiles", "DigitVision", "DigitStore", "DigitCompute", "DigitEnvironment"]),
        .testTarget(name: "DigitPicturesTests", dependencies: ["DigitPictures", "DigitImage"]),
        .testTarget(name: "DigitCLITests", dependencies: ["DigitImage", "DigitCompute", "DigitStore", "DigitPNG", "DigitJPEG"]),
        .testTarget(
            name: "DigitServerTests",
            dependencies: [
                "DigitServer", "DigitPNG", "DigitJPEG", "DigitImage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)
