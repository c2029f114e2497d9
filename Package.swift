// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "digit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DigitKit", targets: ["DigitKit"]),
        .library(name: "DigitPNG", targets: ["DigitPNG"]),
        .library(name: "DigitJPEG", targets: ["DigitJPEG"]),
        .library(name: "DigitPictures", targets: ["DigitPictures"]),
        .executable(name: "digit", targets: ["digit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
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
        .target(
            name: "DigitKit",
            dependencies: ["CZlib", "CDigitKernels"],
            resources: [.copy("Resources/default.digitmodel")]),
        .target(name: "DigitPNG", dependencies: ["CLibPNG", "DigitKit"]),
        // Imports from DigitKit only GrayImage, RawPath, FileError and readFile.
        .target(name: "DigitJPEG", dependencies: ["CJPEGShim", "DigitKit"]),
        .target(name: "DigitPictures", dependencies: ["DigitKit"]),
        .executableTarget(
            name: "digit",
            dependencies: [
                "DigitKit", "DigitPNG", "DigitJPEG", "DigitPictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "digit-bench", dependencies: ["DigitKit", "DigitPNG"]),
        .testTarget(name: "DigitKitTests", dependencies: ["DigitKit"]),
        .testTarget(name: "DigitPNGTests", dependencies: ["DigitPNG", "DigitKit"]),
        .testTarget(name: "DigitJPEGTests", dependencies: ["DigitJPEG", "DigitPNG", "DigitKit"]),
        .testTarget(name: "DigitPicturesTests", dependencies: ["DigitPictures", "DigitKit"]),
        .testTarget(name: "DigitCLITests", dependencies: ["DigitKit", "DigitPNG", "DigitJPEG"]),
    ],
    swiftLanguageModes: [.v5]
)
