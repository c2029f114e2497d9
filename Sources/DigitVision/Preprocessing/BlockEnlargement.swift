import DigitImage

extension DigitPreprocessor {
    /// `image` shrunk back by the largest factor k ≥ 2 it was enlarged by nearest neighbour (every
    /// aligned k x k block one gray level, both sides multiples of k), or `image` itself. A picture
    /// of one gray level comes back as a single pixel.
    ///
    /// A small scan blown up by an editor ("16x16 enlarged 8x") has staircase edges whose steps
    /// are the scan's pixels; finding the stroke edges on the staircase binarises the scan and
    /// loses the gray levels along every edge. One pixel per block is the scan itself, exactly,
    /// and the pipeline treats it as the small picture it is. Photos and drawings fail the test
    /// at their first uneven block, so the check costs little.
    static func undoingBlockEnlargement(_ image: GrayImage) -> GrayImage {
        // Blocks of k x k are blocks of p x p for each prime p dividing k, so shrinking by one
        // prime at a time while the blocks hold finds the largest k in a few passes over the
        // picture (a failed prime is never tried again), however many divisors its sides have.
        var image = image
        for prime in primeFactors(of: greatestCommonDivisor(image.width, image.height)) {
            while image.width % prime == 0, image.height % prime == 0, isBlockEnlarged(image, by: prime) {
                image = everyPixel(of: image, by: prime)
            }
        }
        return image
    }

    /// Whether every aligned `factor` x `factor` block of `image` is one gray level.
    static func isBlockEnlarged(_ image: GrayImage, by factor: Int) -> Bool {
        let width = image.width
        return image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                let row = y * width, blockRow = (y - y % factor) * width
                for x in 0..<width where pixels[row + x] != pixels[blockRow + x - x % factor] { return false }
            }
            return true
        }
    }

    /// The top-left pixel of each aligned `factor` x `factor` block.
    static func everyPixel(of image: GrayImage, by factor: Int) -> GrayImage {
        let width = image.width / factor, height = image.height / factor
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { pixels[y * width + x] = image[x * factor, y * factor] }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// The distinct prime factors of `number`, smallest first.
    private static func primeFactors(of number: Int) -> [Int] {
        var (remaining, candidate, primes) = (number, 2, [Int]())
        while candidate * candidate <= remaining {
            if remaining % candidate == 0 { primes.append(candidate) }
            while remaining % candidate == 0 { remaining /= candidate }
            candidate += 1
        }
        if remaining > 1 { primes.append(remaining) }
        return primes
    }

    private static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
