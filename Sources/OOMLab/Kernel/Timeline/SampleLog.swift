/// Every tick's metrics sample of a run, kept compactly so that keyframes need
/// not carry the kernel's 4096-sample history ring: restoring a keyframe
/// rebuilds the ring from here, exactly.
///
/// A sample is 25 integers, most of them unchanged or changed by a little from
/// one tick to the next, so each is stored as the zigzag varint of its
/// difference from the previous sample (about 26 bytes a tick instead of
/// 200). Every `checkpointInterval` samples one is stored against zero, so a
/// window is decoded from the checkpoint before it, not from tick 0.
struct SampleLog: Equatable, Sendable {
    static let checkpointInterval = 256
    static let width = 25

    private(set) var count = 0
    private var bytes: [UInt8] = []
    /// Byte offset of every `checkpointInterval`-th sample.
    private var checkpoints: [Int] = []
    private var previous = [Int](repeating: 0, count: SampleLog.width)

    var byteCount: Int { bytes.count + checkpoints.count * MemoryLayout<Int>.stride }

    mutating func append(_ sample: MetricsSample) {
        if count % Self.checkpointInterval == 0 {
            checkpoints.append(bytes.count)
            previous = [Int](repeating: 0, count: Self.width)
        }
        let fields = Self.fields(sample)
        for i in 0..<Self.width {
            Self.writeVarint(zigzag(fields[i] &- previous[i]), to: &bytes)
        }
        previous = fields
        count += 1
    }

    /// Samples `range` (indices as appended), in order.
    func samples(_ range: Range<Int>) -> [MetricsSample] {
        guard !range.isEmpty else { return [] }
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "sample range out of the log")
        var out: [MetricsSample] = []
        out.reserveCapacity(range.count)
        let first = range.lowerBound / Self.checkpointInterval * Self.checkpointInterval
        var offset = checkpoints[first / Self.checkpointInterval]
        var fields = [Int](repeating: 0, count: Self.width)
        for index in first..<range.upperBound {
            if index % Self.checkpointInterval == 0 { fields = [Int](repeating: 0, count: Self.width) }
            for i in 0..<Self.width {
                fields[i] = fields[i] &+ unzigzag(Self.readVarint(bytes, &offset))
            }
            if index >= range.lowerBound { out.append(Self.sample(fields)) }
        }
        return out
    }

    /// Keeps the first `n` samples.
    mutating func truncate(to n: Int) {
        guard n < count else { return }
        let last = n > 0 ? Self.fields(samples((n - 1)..<n)[0]) : [Int](repeating: 0, count: Self.width)
        bytes.removeSubrange(byteOffset(of: n)...)
        checkpoints.removeSubrange(((n + Self.checkpointInterval - 1) / Self.checkpointInterval)...)
        count = n
        previous = last
    }

    /// Where sample `index` (< count) begins: decoded forward from its checkpoint.
    private func byteOffset(of index: Int) -> Int {
        let first = index / Self.checkpointInterval * Self.checkpointInterval
        var offset = checkpoints[first / Self.checkpointInterval]
        for _ in first..<index {
            for _ in 0..<Self.width { _ = Self.readVarint(bytes, &offset) }
        }
        return offset
    }

    // MARK: Encoding

    static func fields(_ s: MetricsSample) -> [Int] {
        let m = s.memory, t = s.stats
        return [s.tick, m.total, m.free, m.anon, m.pageTables, m.fileClean, m.fileDirty, m.writeback,
                m.slabReclaimable, m.slabUnreclaimable, m.kernel, m.reservationPool, m.swapTotal, m.swapUsed,
                kswapdCode(s.kswapd), t.scannedKswapd, t.reclaimedKswapd, t.scannedDirect, t.reclaimedDirect,
                t.memstalled, t.nonIdle, t.blocked, s.psiSome, s.psiFull, m.swapWriteback]
    }

    static func sample(_ f: [Int]) -> MetricsSample {
        MetricsSample(
            tick: f[0],
            memory: MemoryCounters(total: f[1], free: f[2], anon: f[3], pageTables: f[4], fileClean: f[5],
                                   fileDirty: f[6], writeback: f[7], slabReclaimable: f[8], slabUnreclaimable: f[9],
                                   kernel: f[10], reservationPool: f[11], swapTotal: f[12], swapUsed: f[13],
                                   swapWriteback: f[24]),
            kswapd: kswapdState(f[14]),
            stats: TickStats(scannedKswapd: f[15], reclaimedKswapd: f[16], scannedDirect: f[17], reclaimedDirect: f[18],
                             memstalled: f[19], nonIdle: f[20], blocked: f[21]),
            psiSome: f[22], psiFull: f[23])
    }

    static func kswapdCode(_ s: Kswapd.State) -> Int {
        switch s {
        case .sleeping: return 0
        case .running: return 1
        case .napping: return 2
        case .backedOff: return 3
        }
    }

    static func kswapdState(_ code: Int) -> Kswapd.State {
        switch code {
        case 1: return .running
        case 2: return .napping
        case 3: return .backedOff
        default: return .sleeping
        }
    }

    static func writeVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    static func readVarint(_ bytes: [UInt8], _ offset: inout Int) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }
}

/// Small magnitudes of either sign as small unsigned numbers: 0, -1, 1, -2 -> 0, 1, 2, 3.
func zigzag(_ v: Int) -> UInt64 { UInt64(bitPattern: Int64((v << 1) ^ (v >> 63))) }
func unzigzag(_ u: UInt64) -> Int { Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))) }
