import CDigitKernels
@testable import DigitCompute
import Foundation
import Testing

/// Every C kernel set this CPU runs (portable everywhere, AVX2 + FMA where supported) against
/// the naive references, whichever set the layers select by default.
@Suite("Kernel sets")
struct KernelSetTests {
    static var names: [String] { Kernels.available.map(\.name) }

    static func kernels(_ name: String) -> Kernels {
        Kernels.available.first { $0.name == name }!
    }

    @Test("an x86-64 CPU with AVX2 and FMA selects the AVX2 kernels, others the portable ones")
    func selection() throws {
        #expect(Kernels.portable.name == "portable")
        if let forced = ProcessInfo.processInfo.environment["DIGIT_KERNELS"], forced == "portable" {
            #expect(Kernels.selected.name == "portable")
            return
        }
        #if arch(x86_64) && os(Linux)
        // /proc/cpuinfo's flags are the kernel's own reading of CPUID and of the OS support.
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? [])
        let supported = flags.contains("avx2") && flags.contains("fma")
        #expect((Kernels.avx2 != nil) == supported)
        #expect(Kernels.selected.name == (supported ? "avx2" : "portable"))
        #elseif arch(x86_64)
        #expect(Kernels.selected.name == (Kernels.avx2 != nil ? "avx2" : "portable"))
        #else
        #expect(Kernels.avx2 == nil)
        #expect(Kernels.selected.name == "portable")
        #endif
        #expect(numericKernelsName == Kernels.selected.name)
    }

    static let gemmShapes: [GEMMCase] = GEMMTests.oddShapes + GEMMTests.paddedShapes + [
        GEMMCase(m: 9, n: 21, k: 11, alpha: -0.75, beta: 0.25),
        GEMMCase(m: 13, n: 35, k: 9, alpha: 1.5, beta: 1),
        GEMMCase(m: 64, n: 128, k: 97, alpha: 1, beta: 0.5),
    ]

    @Test("gemm matches referenceGEMM", arguments: names, 0..<4)
    func gemmMatchesReference(name: String, transposition: Int) {
        let (ta, tb) = transpositions[transposition]
        for shape in Self.gemmShapes {
            let run = GEMMRun(shape.with(transA: ta, transB: tb), kernels: Self.kernels(name))
            #expect(run.mismatches == [], "\(shape.testDescription)")
            #expect(run.paddingChanges == 0, "\(shape.testDescription)")
        }
    }

    @Test("gemm with beta 0 never reads C", arguments: names)
    func gemmBetaZero(name: String) {
        for (ta, tb) in transpositions {
            let run = GEMMRun(GEMMCase(m: 13, n: 35, k: 9, transA: ta, transB: tb), initialC: .nan,
                              kernels: Self.kernels(name))
            #expect(run.mismatches == [])
            #expect(!run.c.contains { $0.isNaN })
        }
    }

    @Test("the kernel sets agree with each other to float rounding")
    func setsAgree() {
        guard let avx2 = Kernels.avx2 else { return }
        for shape in Self.gemmShapes {
            let fast = GEMMRun(shape, kernels: avx2), portable = GEMMRun(shape, kernels: .portable)
            for i in fast.c.indices {
                #expect(abs(fast.c[i] - portable.c[i]) <= 2 * fast.bound[i], "\(shape.testDescription) [\(i)]")
            }
        }
    }

    // Shapes whose filters are multiples of 8 (the direct kernels): 8-wide and 16-wide tiles,
    // ragged pixel and tap tails, padding, 16 + 8 filters, and 8 or 16 input channels (the
    // direct input gradient too).
    static let convShapes: [(height: Int, width: Int, channels: Int, filters: Int, kernel: Int, same: Bool, batch: Int)] = [
        (7, 9, 1, 8, 5, false, 2),
        (6, 7, 3, 16, 3, true, 2),
        (5, 5, 2, 24, 3, false, 1),
        (6, 7, 8, 8, 3, false, 2),
        (5, 6, 16, 16, 3, true, 2),
        (9, 8, 8, 24, 3, true, 3),
        (12, 12, 1, 32, 5, false, 2),
    ]

    /// Weight, bias and input gradients of `L = Σ y · dy` by their definition, in Double.
    static func referenceBackward(_ layer: Conv2D, _ x: [Float], _ dy: [Float], batch: Int)
        -> (weight: [Float], bias: [Float], input: [Float]) {
        let (input, output, k, pad) = (layer.input, layer.output, layer.kernel, layer.padding)
        var dw = [Double](repeating: 0, count: layer.weight.value.count)
        var db = [Double](repeating: 0, count: output.channels)
        var dx = [Double](repeating: 0, count: x.count)
        for n in 0..<batch {
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    for f in 0..<output.channels {
                        let g = Double(dy[n * output.count + (oy * output.width + ox) * output.channels + f])
                        db[f] += g
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = oy + ky - pad, ix = ox + kx - pad
                                guard (0..<input.height).contains(iy), (0..<input.width).contains(ix) else { continue }
                                for c in 0..<input.channels {
                                    let tap = ((ky * k + kx) * input.channels + c) * output.channels + f
                                    let pixel = n * input.count + (iy * input.width + ix) * input.channels + c
                                    dw[tap] += Double(x[pixel]) * g
                                    dx[pixel] += Double(layer.weight.value[tap]) * g
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dw.map(Float.init), db.map(Float.init), dx.map(Float.init))
    }

    @Test("direct convolution forward and backward match the definition", arguments: names, 0..<convShapes.count)
    func convolution(name: String, shapeIndex: Int) {
        let c = Self.convShapes[shapeIndex]
        let layer = ConvLayerGradientTests.conv(ImageShape(height: c.height, width: c.width, channels: c.channels),
                                                filters: c.filters, kernel: c.kernel, same: c.same, seed: 176)
        layer.kernels = Self.kernels(name)
        let x = CoreSupport.randomFloats(c.batch * layer.inputSize, seed: 177)
        let dy = CoreSupport.randomFloats(c.batch * layer.outputSize, seed: 178)
        let y = layer.forward(x, batch: c.batch, training: true)
        let expectedY = ConvLayerGradientTests.referenceConvolution(layer, x, batch: c.batch)
        #expect(GradientCheck.mismatches("output", analytic: y, numeric: expectedY, relative: 1e-5, absolute: 1e-5) == [])
        let dx = layer.backward(dy, batch: c.batch, needsInputGradient: true)
        let expected = Self.referenceBackward(layer, x, dy, batch: c.batch)
        #expect(GradientCheck.mismatches("weight", analytic: layer.weight.gradient, numeric: expected.weight,
                                         relative: 1e-5, absolute: 1e-5) == [])
        #expect(GradientCheck.mismatches("bias", analytic: layer.bias.gradient, numeric: expected.bias,
                                         relative: 1e-5, absolute: 1e-5) == [])
        #expect(GradientCheck.mismatches("input", analytic: dx, numeric: expected.input,
                                         relative: 1e-5, absolute: 1e-5) == [])
    }

    @Test("max pooling takes each window's first maximum", arguments: names, [1, 3, 8, 11, 16, 24])
    func maxPool(name: String, channels: Int) {
        let shape = ImageShape(height: 7, width: 6, channels: channels)
        let pool = MaxPool2(input: shape)
        pool.kernels = Self.kernels(name)
        var random = SeededRandom(seed: 183)
        // A few levels, so ties are common; and a NaN, which never wins over a number.
        var input = (0..<(3 * shape.count)).map { _ in Float(random.integer(below: 4)) - 1.5 }
        input[shape.count + channels] = .nan
        let y = pool.forward(input, batch: 3, training: true)
        #expect(pool.forward(input, batch: 3, training: false).map(\.bitPattern) == y.map(\.bitPattern))
        let dx = pool.backward([Float](repeating: 1, count: y.count), batch: 3, needsInputGradient: true)
        var expectedY: [Float] = [], expectedDx = [Float](repeating: 0, count: input.count)
        for b in 0..<3 {
            for oy in 0..<3 {
                for ox in 0..<3 {
                    for c in 0..<channels {
                        let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map {
                            b * shape.count + ((2 * oy + $0.0) * shape.width + 2 * ox + $0.1) * channels + c
                        }
                        // Scanning in window order, a later value wins only when it is greater.
                        var best = window[0]
                        for i in window.dropFirst() where input[i] > input[best] { best = i }
                        expectedY.append(input[best])
                        expectedDx[best] = 1
                    }
                }
            }
        }
        #expect(y.map(\.bitPattern) == expectedY.map(\.bitPattern))
        #expect(dx == expectedDx)
    }
}

/// The element-wise kernels (optimizer rules, byte normalisation) against the Swift
/// expressions they replace, bit for bit, in every set.
@Suite("Element-wise kernels")
struct ElementwiseKernelTests {
    static let kinds: [OptimizerKind] = [.sgd, .momentum, .adam]

    @Test("optimizer steps equal the Swift rules bit for bit", arguments: KernelSetTests.names, 0..<3)
    func optimizerStep(name: String, kindIndex: Int) {
        let kernels = KernelSetTests.kernels(name), kind = Self.kinds[kindIndex]
        let count = 1003  // a ragged vector tail
        for (decay, withReplica) in [(Float(0), false), (Float(1e-3), true)] {
            var w = CoreSupport.randomFloats(count, seed: 211), g = CoreSupport.randomFloats(count, seed: 212)
            var first = CoreSupport.randomFloats(count, seed: 213)
            var second = CoreSupport.randomFloats(count, seed: 214, in: 0...1)
            let other = CoreSupport.randomFloats(count, seed: 215)
            let (lr, c1, c2): (Float, Float, Float) = (0.01, 1 - powf(Optimizer.beta1, 3), 1 - powf(Optimizer.beta2, 3))
            var (ew, eg, ef, es) = (w, g, first, second)
            for i in 0..<count {
                if withReplica { eg[i] += other[i] }
                switch kind {
                case .sgd:
                    ew[i] -= lr * (eg[i] + decay * ew[i])
                case .momentum:
                    ef[i] = Optimizer.momentum * ef[i] + eg[i] + decay * ew[i]
                    ew[i] -= lr * ef[i]
                case .adam:
                    let gi = eg[i] + decay * ew[i]
                    ef[i] = Optimizer.beta1 * ef[i] + (1 - Optimizer.beta1) * gi
                    es[i] = Optimizer.beta2 * es[i] + (1 - Optimizer.beta2) * gi * gi
                    let mHat = ef[i] / c1, vHat = es[i] / c2
                    ew[i] -= lr * mHat / (vHat.squareRoot() + Optimizer.epsilon)
                }
            }
            w.withUnsafeMutableBufferPointer { w in
            g.withUnsafeMutableBufferPointer { g in
            first.withUnsafeMutableBufferPointer { first in
            second.withUnsafeMutableBufferPointer { second in
            other.withUnsafeBufferPointer { other in
                var step = digit_optimizer_step()
                step.kind = [DIGIT_OPTIMIZER_SGD, DIGIT_OPTIMIZER_MOMENTUM, DIGIT_OPTIMIZER_ADAM][kindIndex]
                step.count = count
                step.value = w.baseAddress
                step.gradient = g.baseAddress
                step.replica_gradient = withReplica ? other.baseAddress : nil
                step.first = first.baseAddress
                step.second = second.baseAddress
                step.learning_rate = lr
                step.decay = decay
                step.momentum = Optimizer.momentum
                step.beta1 = Optimizer.beta1
                step.one_minus_beta1 = 1 - Optimizer.beta1
                step.beta2 = Optimizer.beta2
                step.one_minus_beta2 = 1 - Optimizer.beta2
                step.correction1 = c1
                step.correction2 = c2
                step.epsilon = Optimizer.epsilon
                kernels.table.pointee.optimizer_step(&step)
            }
            }
            }
            }
            }
            #expect(CoreSupport.bits(w) == CoreSupport.bits(ew), "\(kind) decay \(decay)")
            #expect(CoreSupport.bits(g) == CoreSupport.bits(eg))
            if kind != .sgd { #expect(CoreSupport.bits(first) == CoreSupport.bits(ef)) }
            if kind == .adam { #expect(CoreSupport.bits(second) == CoreSupport.bits(es)) }
        }
    }

    @Test("bytes normalise to value / 255 as Float(p) * (1 / 255)", arguments: KernelSetTests.names)
    func normaliseBytes(name: String) {
        let bytes = (0..<1037).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var values = [Float](repeating: .nan, count: bytes.count)
        bytes.withUnsafeBufferPointer { b in
            values.withUnsafeMutableBufferPointer { v in
                KernelSetTests.kernels(name).table.pointee.normalise_bytes(b.baseAddress, b.count, v.baseAddress)
            }
        }
        #expect(CoreSupport.bits(values) == CoreSupport.bits(bytes.map { Float($0) * (1 / 255) }))
    }
}

@Suite("Rounding without libm")
struct RoundingTests {
    static let edges: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                  0.5000000000000001, 1e15 + 0.5, -1e15 - 0.5, 4503599627370495.5, 4503599627370497,
                                  9.0e15, -9.0e15, 255.5, 2047.5, 1e-300, -1e-300]

    @Test("roundedToInt equals Int(x.rounded()), flooredToInt equals Int(floorf(x))")
    func matchesLibm() {
        var random = SeededRandom(seed: 191)
        var doubles = Self.edges
        var floats: [Float] = [0.49999997, -0.49999997, 0.5, -0.5, 8388607.5, -8388607.5, 8388609, 1e-30, -1e-30,
                               16777215, -0.0, 2.5, -2.5, 0.99999994, -0.99999994]
        for _ in 0..<20_000 {
            let scale = [1.0, 10, 300, 5000, 1e9][random.integer(below: 5)]
            let value = (Double(random.integer(below: 2_000_001)) / 1_000_000 - 1) * scale
            doubles.append(value)
            floats.append(Float(value))
            // Exact halves, where the direction matters most.
            doubles.append(Double(random.integer(below: 2001) - 1000) + 0.5)
            floats.append(Float(random.integer(below: 2001) - 1000) + 0.5)
        }
        for x in doubles { #expect(roundedToInt(x) == Int(x.rounded()), "\(x)") }
        for x in floats {
            #expect(roundedToInt(x) == Int(x.rounded()), "\(x)")
            #expect(flooredToInt(x) == Int(x.rounded(.down)), "\(x)")
        }
    }
}
