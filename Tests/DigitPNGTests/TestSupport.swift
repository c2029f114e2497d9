import Foundation

/// The committed test pictures (`Tests/Fixtures`, found from this file's path), so these tests
/// run on any clone.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let pngSuiteValid = "\(root)/pngsuite/valid"
    static let pngSuiteInvalid = "\(root)/pngsuite/invalid"
    static let crashers = "\(root)/png-crashers"

    /// The `.png` files in `folder`, sorted, as full paths.
    static func pngFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".png") }
            .sorted()
            .map { "\(folder)/\($0)" }
    }
}

/// The 8-bit code libpng's simplified API gives a linear light level in 0...1: it encodes
/// 8-bit output with the gamma 2.2 power law (PNG_GAMMA_sRGB), not the piecewise sRGB curve.
func eightBitCode(linear: Double) -> Double {
    255 * pow(linear, 1 / 2.2)
}

/// Luminance (Rec. 709 / sRGB coefficients, as libpng uses) of linear 8-bit RGB.
func linearLuminance(_ r: Int, _ g: Int, _ b: Int) -> Double {
    (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255
}

/// Builds PNG files byte by byte, so tests can craft exactly the headers and pixel
/// formats they need (RGBA, huge dimensions) without going through the encoder under test.
enum PNGBuilder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A complete PNG: IHDR, one IDAT holding `scanlines` (each row already prefixed with
    /// its filter byte) in stored deflate blocks, IEND.
    static func png(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8,
                    scanlines: [UInt8]) -> [UInt8] {
        signature
            + chunk("IHDR", ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType))
            + chunk("IDAT", zlibStored(scanlines))
            + chunk("IEND", [])
    }

    /// An 8-bit RGBA PNG of `pixels` (4 bytes each, row-major), no filtering.
    static func rgba(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition(pixels.count == 4 * width * height)
        var scanlines: [UInt8] = []
        for y in 0..<height {
            scanlines.append(0)
            scanlines += pixels[(4 * width * y)..<(4 * width * (y + 1))]
        }
        return png(width: UInt32(width), height: UInt32(height), bitDepth: 8, colorType: 6,
                   scanlines: scanlines)
    }

    static func ihdr(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8) -> [UInt8] {
        bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, 0]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
    }

    /// A zlib stream of uncompressed ("stored") deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("DigitPNGTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }
}
