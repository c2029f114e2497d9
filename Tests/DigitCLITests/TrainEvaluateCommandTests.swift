import Foundation
import Testing

@Suite struct TrainEvaluateCommandTests {
    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func evaluateJSONAgreesWithItsConfusionMatrix() throws {
        let result = try CLI.run(["evaluate", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let confusion = try #require(object["confusion"] as? [[Int]])
        let correct = try #require(object["correct"] as? Int)
        #expect(object["total"] as? Int == 10000)
        #expect(confusion.flatMap { $0 }.reduce(0, +) == 10000)
        #expect((0..<10).map { confusion[$0][$0] }.reduce(0, +) == correct)
        // The bundled model recorded its test accuracy when it was trained: evaluate must agree.
        let info = try CLI.run(["info", "--json"])
        let recorded = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        let testAccuracy = try #require(recorded["testAccuracy"] as? Double)
        #expect(abs(Double(correct) / 10000 - testAccuracy) < 1e-6)
    }

    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func trainWritesAModelThatInfoDescribesAndJSONLinesPerEpoch() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/tiny.digitmodel"
        let result = try CLI.run(["train", "--arch", "mlp:16", "--steps", "60", "--batch-size", "100",
                                  "--validation", "0.1", "--json", "--output", model])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let epochs = result.stdoutLines
        #expect(epochs.count == 1)
        let epoch = try #require(try JSONSerialization.jsonObject(with: Data(epochs[0].utf8)) as? [String: Any])
        #expect(Set(epoch.keys) == ["epoch", "seconds", "loss", "train_accuracy", "validation_accuracy"])
        #expect((epoch["validation_accuracy"] as? Double ?? 0) > 0.5)

        let info = try CLI.run(["info", "--model", model])
        #expect(info.status == 0)
        #expect(info.stdout.contains("mlp:16"))
        #expect(info.stdout.contains("54000 images (+6000 held out for validation)"))
    }

    @Test func badArgumentsFailWithOneClearLine() throws {
        let badArch = try CLI.run(["train", "--arch", "mlp:x", "--output", "/tmp/never.digitmodel"])
        #expect(badArch.status != 0)
        #expect(badArch.stderr.contains("invalid architecture 'mlp:x'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.digitmodel"))

        for (flag, value, message) in [("--erase", "1.5", "--erase must be in 0...1"), ("--crop", "20", "--crop must be in 0...14"),
                                       ("--label-smoothing", "1", "--label-smoothing must be in 0..<1")] {
            let bad = try CLI.run(["train", flag, value, "--output", "/tmp/never.digitmodel"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains(message), "\(bad.stderr)")
        }

        let missingModel = try CLI.run(["evaluate", "--model", "/nonexistent/model.digitmodel"])
        #expect(missingModel.status == 1)
        #expect(missingModel.stderrLines == ["Error: /nonexistent/model.digitmodel: cannot open: No such file or directory"])

        let missingData = try CLI.run(["evaluate", "--data", "/nonexistent"])
        #expect(missingData.status == 1)
        #expect(missingData.stderrLines == ["Error: /nonexistent/t10k-images-idx3-ubyte.gz: not found "
                                            + "(give the folder with --data DIR or $DIGIT_DATA, or run scripts/download-mnist)"])
    }

    @Test func infoDescribesTheBundledModel() throws {
        let result = try CLI.run(["info"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("architecture:"))
        #expect(result.stdout.contains("test accuracy:"))
    }

    /// A newcomer's first `digit train --output m.digitmodel` gets the project's best simple
    /// recipe (mlp:128, Adam, cosine decay), not plain SGD.
    @Test(.enabled(if: CLI.hasMNIST, CLI.noMNIST))
    func trainDefaultsAloneReachTheTarget() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["train", "--output", folder + "/m.digitmodel"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let evaluation = try CLI.run(["evaluate", "--model", folder + "/m.digitmodel", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
        #expect((object["accuracy"] as? Double ?? 0) >= 0.978)
        let info = try CLI.run(["info", "--model", folder + "/m.digitmodel"])
        #expect(info.stdout.contains("adam"))
        #expect(info.stdout.contains("cosine"))
    }
}
