extension Kernel {
    /// A named mutex with an owner and FIFO waiters (struct mutex, with the
    /// handoff that makes it fair). A waiter knows whether its wait is killable.
    public struct Lock: Equatable, Sendable {
        public let name: String
        public internal(set) var owner: Int?
        public internal(set) var waiters: [Int]
        public init(name: String) {
            self.name = name
            self.owner = nil
            self.waiters = []
        }
    }
}
