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
    ],
    // The only dependency, for the command line: the web server (`digit serve`) is the package
    // in Server/, so neither this package's build nor a package depending on DigitKit ever
    // resolves or builds SwiftNIO.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    // Layers, each depending only on those above it:
    //   DigitImage, DigitFiles      leaves: image types and pixel geometry; paths, file errors, atomic writes
    //   DigitCompute                pure compute: kernels, layers, network, optimizers, trainer, scheduler
    //   DigitStore                  persistence: IDX, gzip, model and checkpoint files, the bundled model
    //   DigitVision                 pure vision: preprocessing, segmentation, picture -> prediction
    //   DigitPNG, DigitJPEG,        the PNG and JPEG codecs and the drawings, on the image types only
    //   DigitPictures
    //   DigitEnvironment            environment policy: the data folder, the thread count
    //   DigitKit                    the engine and public API: models, pictures, files and folders ->
    //                               readings in order, labelled evaluation, JSON records
    //   digit                       the command line: flags, terminal, output formats, drawings
    //   Server/ (its own package)   DigitServer, digit-serve: the web page and HTTP API on Hummingbird
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
            resources: [.copy("Resources/default.digitmodel"), .copy("Resources/whole-digit.digitmodel")]),
        .target(name: "DigitVision", dependencies: ["DigitImage", "DigitCompute"]),
        .target(name: "DigitPNG", dependencies: ["CLibPNG", "DigitImage", "DigitFiles"]),
        .target(name: "DigitJPEG", dependencies: ["CJPEGShim", "DigitImage", "DigitFiles"]),
        .target(name: "DigitPictures", dependencies: ["DigitImage"]),
        .target(name: "DigitEnvironment"),
        .target(name: "DigitKit", dependencies: [
            "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG", "DigitJPEG", "DigitEnvironment",
        ]),
        .executableTarget(
            name: "digit",
            dependencies: [
                "DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG",
                "DigitJPEG", "DigitPictures", "DigitEnvironment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "digit-bench",
            dependencies: ["DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitPNG",
                           "DigitPictures", "DigitEnvironment"]),
        .testTarget(
            name: "DigitKitTests",
            dependencies: ["DigitKit", "DigitImage", "DigitFiles", "DigitCompute", "DigitStore", "DigitVision", "DigitEnvironment", "DigitJPEG", "CZlib"]),
        .testTarget(name: "DigitPNGTests", dependencies: ["DigitPNG", "DigitImage", "DigitFiles", "DigitStore", "DigitVision", "CZlib"]),
        .testTarget(name: "DigitJPEGTests", dependencies: ["DigitJPEG", "DigitPNG", "DigitImage", "DigitFiles", "DigitVision", "DigitStore", "DigitCompute", "DigitEnvironment"]),
        .testTarget(name: "DigitPicturesTests", dependencies: ["DigitPictures", "DigitImage"]),
        .testTarget(name: "DigitCLITests", dependencies: ["DigitImage", "DigitCompute", "DigitStore", "DigitPNG", "DigitJPEG", "DigitEnvironment"]),
    ],
    swiftLanguageModes: [.v5]
)
