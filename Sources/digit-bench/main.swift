import DigitKit
import Dispatch

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func benchGEMM(_ label: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int) {
    var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
    for i in a.indices { a[i] = Float(i % 7) * 0.1 }
    for i in b.indices { b[i] = Float(i % 5) * 0.1 }
    var c = [Float](repeating: 0, count: m * n)
    let flops = 2.0 * Double(m * n * k)
    let reps = max(3, Int(2e9 / flops))
    gemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, into: &c)
    let t = seconds { for _ in 0..<reps { gemm(transA: transA, transB: transB, m: m, n: n, k: k, a, b, into: &c) } }
    print("gemm \(label) \(m)x\(n)x\(k) tA=\(transA) tB=\(transB): \(String(format: "%.1f", flops * Double(reps) / t / 1e9)) GFLOP/s")
}
import Foundation
benchGEMM("fwd1", transA: false, transB: false, m: 64, n: 128, k: 784)
benchGEMM("dW1", transA: true, transB: false, m: 784, n: 128, k: 64)
benchGEMM("dX2", transA: false, transB: true, m: 64, n: 128, k: 10)
benchGEMM("fwd2", transA: false, transB: false, m: 64, n: 10, k: 128)
benchGEMM("big", transA: false, transB: false, m: 1200, n: 1200, k: 784)
