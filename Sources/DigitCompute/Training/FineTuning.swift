/// What makes a `Trainer` run a tuning run: it starts from a trained network instead of fresh
/// weights, trains and validates on the samples given instead of a random split, and mixes a
/// few samples of a rehearsal pool (MNIST) into every epoch so the network does not forget
/// what the pool teaches.
package struct FineTuning {
    /// The trained network whose weights the run starts from; copied, never changed.
    package var base: Network
    /// The samples of the trainer's data trained on every epoch.
    package var training: [Int]
    /// The samples held out: the best epoch by accuracy on them is kept (`keepBest`).
    package var validation: [Int]
    /// The pool, in the trainer's data, that `rehearsalPerEpoch` samples are taken from each
    /// epoch: the next ones in one shuffled order of it, so successive epochs see different ones.
    package var rehearsal: [Int] = []
    package var rehearsalPerEpoch = 0
    /// How many of the network's first layers keep their weights (0: every layer learns).
    package var frozenLayers = 0

    package init(base: Network, training: [Int], validation: [Int]) {
        self.base = base
        self.training = training
        self.validation = validation
    }
}
