extension Kernel {
    /// A named lock: a rwsem (struct rw_semaphore) that tasks take for write
    /// or for read, with FIFO waiters and the handoff that makes it fair. A
    /// lock only ever taken for write is a mutex (struct mutex). A waiter
    /// knows whether its wait is killable and which mode it waits for
    /// (`Wait.lock`, `Wait.exitMmapLock`).
    public struct Lock: Equatable, Sendable {
        public let name: String
        /// The task holding it for write (the mutex owner), if one does.
        public internal(set) var owner: Int?
        /// The tasks holding it for read, in the order they got it; empty
        /// while a writer owns it. A task that took it for read twice (a
        /// recursive down_read, which the rwsem's count allows) is here twice.
        public internal(set) var readers: [Int]
        /// Tasks queued for it, first come first served (rwsem's wait_list).
        public internal(set) var waiters: [Int]
        public init(name: String) {
            self.name = name
            self.owner = nil
            self.readers = []
            self.waiters = []
        }

        /// Whoever holds it: the writer, or every reader.
        public var holders: [Int] { owner.map { [$0] } ?? readers }
        public var isHeld: Bool { owner != nil || !readers.isEmpty }
        /// How it is held now, if it is.
        public var heldMode: LockMode? { owner != nil ? .write : (readers.isEmpty ? nil : .read) }
    }
}
