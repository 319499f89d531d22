/// pid -> index into the task array: the simulation's find_vpid()
/// (find_pid_ns, an idr_find over the pid namespace's IDR, kernel/pid.c).
///
/// Scenarios number their tasks densely (a `count:` template gives
/// consecutive pids), so while the pids fill at least a quarter of their
/// span the index is a flat array over that span, 4 bytes a pid; a
/// Dictionary took about 33 bytes a task (16-byte buckets at most 3/4 full),
/// a tenth of a million-task kernel. Sparse pids (a hand-written scenario's
/// 412, 1337, 1800) go in a Dictionary, as before.
struct PidIndex: Equatable, Sendable {
    /// Dense form: slots[pid - base] is the index plus one (0: no task).
    private var base = 0
    private var slots: [Int32] = []
    /// Sparse form, once the pids stopped fitting the dense one.
    private var sparse: [Int: Int]?
    /// Tasks indexed.
    private(set) var count = 0

    init() {}

    subscript(pid: Int) -> Int? {
        get {
            if let sparse { return sparse[pid] }
            let (k, overflow) = pid.subtractingReportingOverflow(base)
            guard !overflow, k >= 0, k < slots.count else { return nil }
            let v = slots[k]
            return v == 0 ? nil : Int(v) - 1
        }
        set {
            if sparse != nil {
                if (sparse![pid] == nil) != (newValue == nil) { count += newValue == nil ? -1 : 1 }
                sparse![pid] = newValue
                return
            }
            guard let index = newValue else {
                let (k, overflow) = pid.subtractingReportingOverflow(base)
                if !overflow, k >= 0, k < slots.count, slots[k] != 0 { slots[k] = 0; count -= 1 }
                return
            }
            guard index < Int(Int32.max), makeRoom(for: pid) else {
                goSparse()
                self[pid] = newValue
                return
            }
            let k = pid - base
            if slots[k] == 0 { count += 1 }
            slots[k] = Int32(index + 1)
        }
    }

    /// Widens the dense span to hold `pid`; false when that would leave it
    /// less than a quarter full (plus some slack for small scenarios).
    private mutating func makeRoom(for pid: Int) -> Bool {
        if slots.isEmpty {
            base = pid
            slots.append(0)   // keeps a reserved capacity
            return true
        }
        let lo = Swift.min(base, pid), hi = Swift.max(base + (slots.count - 1), pid)
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < 4 * (count + 1) + 1024 else { return false }
        if pid < base {
            slots.insert(contentsOf: repeatElement(0, count: base - pid), at: 0)
            base = pid
        } else if pid - base >= slots.count {
            slots.append(contentsOf: repeatElement(0, count: pid - base - slots.count + 1))
        }
        return true
    }

    private mutating func goSparse() {
        var d: [Int: Int] = [:]
        d.reserveCapacity(count + 1)
        for (k, v) in slots.enumerated() where v != 0 { d[base + k] = Int(v) - 1 }
        sparse = d
        slots = []
    }

    mutating func removeAll(keepingCapacity keep: Bool = false) {
        if sparse != nil { sparse!.removeAll(keepingCapacity: keep) }
        slots.removeAll(keepingCapacity: keep)
        count = 0
    }

    /// Room for `n` consecutive pids (a scenario's tasks, walked in pid order).
    mutating func reserveCapacity(_ n: Int) {
        if sparse != nil { sparse!.reserveCapacity(n) } else { slots.reserveCapacity(n) }
    }

    /// Heap bytes held (Keyframe.estimatedBytes).
    var estimatedBytes: Int {
        if let sparse { return sparse.capacity * 16 * 4 / 3 }
        return slots.capacity * MemoryLayout<Int32>.stride
    }

    /// Every (pid, index), in no particular order.
    var entries: [(pid: Int, index: Int)] {
        if let sparse { return sparse.map { ($0.key, $0.value) } }
        return slots.enumerated().compactMap { $0.element == 0 ? nil : (base + $0.offset, Int($0.element) - 1) }
    }

    /// The same pids at the same indices, whichever form each is in.
    static func == (a: PidIndex, b: PidIndex) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b[$0.pid] == $0.index }
    }
}
