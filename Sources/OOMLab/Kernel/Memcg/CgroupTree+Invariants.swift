extension CgroupTree {
    /// What `checkInvariants` found wrong.
    public struct InvariantViolation: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "memcg invariant violated: \(message)" }
    }

    /// The tree is well formed (each child lists its parent, the path index
    /// matches) and the charges add up: for both counters of every cgroup,
    /// usage = own charges + the children's usage, 0 <= usage <=
    /// PAGE_COUNTER_MAX, watermark >= usage, limits in range, the root
    /// charged for no task of its own. Usage above memory.max is not a
    /// violation here (a forced charge or a lowered memory.max leaves one);
    /// "never above max after reclaim" belongs to the simulated kernel's
    /// check once charging is wired in. Tests call this after every change,
    /// as swift-collections' checkInvariants.
    public func checkInvariants() throws(InvariantViolation) {
        func fail(_ m: String) throws(InvariantViolation) -> Never { throw InvariantViolation(message: m) }
        if cgroups.isEmpty || cgroups[0].path != .root || cgroups[0].parent != nil { try fail("no root at index 0") }
        if index.count != cgroups.count { try fail("path index has \(index.count) entries for \(cgroups.count) cgroups") }
        if cgroups[0].ownMemory != 0 || cgroups[0].ownSwap != 0 { try fail("the root holds charges of its own") }
        for (id, c) in cgroups.enumerated() {
            if index[c.path] != id { try fail("\(c.path) is not indexed as \(id)") }
            if let p = c.parent {
                if !contains(p) || !cgroups[p].children.contains(id) { try fail("\(c.path) is not among its parent's children") }
                if c.path.parent != cgroups[p].path { try fail("\(c.path)'s parent is \(cgroups[p].path)") }
            } else if id != 0 {
                try fail("\(c.path) has no parent")
            }
            for child in c.children where !contains(child) || cgroups[child].parent != id {
                try fail("\(c.path) lists a child that is not its own")
            }
            for kind in [CounterKind.memory, .swap] {
                let counter = c.counter(kind)
                let name = "\(c.path) \(kind == .memory ? "memory" : "swap")"
                var sum = c.own(kind)
                for child in c.children { sum += cgroups[child].counter(kind).usage }
                if counter.usage != sum { try fail("\(name) usage \(counter.usage) != own \(c.own(kind)) + children") }
                if counter.usage < 0 || counter.usage > PageCounter.max { try fail("\(name) usage \(counter.usage) out of range") }
                if c.own(kind) < 0 { try fail("\(name) own charges negative") }
                if counter.watermark < counter.usage { try fail("\(name) watermark below usage") }
                for v in [counter.limit, counter.high, counter.low, counter.min] where v < 0 || v > PageCounter.max {
                    try fail("\(name) limit \(v) out of range")
                }
            }
        }
    }
}
