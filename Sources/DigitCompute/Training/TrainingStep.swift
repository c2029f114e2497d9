
/// One optimizer step on one batch, with the work shared between the scheduler's threads.
protocol TrainingStep {
    /// Trains on the samples at `members` (batch number `step` of the run) and updates the
    /// weights with `learningRate`. Returns the summed loss (mean loss times samples) and
    /// the count of correct answers.
    func train(on members: [Int], step: Int, learningRate: Float) -> (loss: Double, correct: Int)
}
