/// How a run moves: one tick forward (recording at the frontier), a keyframe
/// restored, the timeline's actions re-applied, the future cut off.
extension Run {
    /// One tick forward: step the kernel; at the frontier record the tick
    /// (events, sample, markers, maybe a keyframe); then apply the
    /// timeline's actions stamped with the new tick. Returns the tick's
    /// events, the kernel's and then the actions', as the log keeps them.
    @discardableResult
    mutating func advance() throws(ScenarioError) -> [Event] {
        guard kernel.panicVerdict == nil else { return [] }
        let recording = kernel.tick == frontier
        let probe = recording ? MarkerProbe(kernel) : nil
        // What Kernel.step() appends to recentEvents: what actions logged
        // (and the kernel printed during them) was appended when they were taken.
        let carried = kernel.printk.pendingUser.count
        let events = kernel.step().dropFirst(carried)
        if let probe {
            frontier = kernel.tick
            log.append(contentsOf: events)
            if let sample = kernel.history.last { samples.append(sample) }
            detected += probe.markers(after: kernel)
            if keyframes.wants(kernel.tick) {
                keyframes.add(kernel, samplesThrough: samples.count, logCount: log.endIndex)
            }
        }
        return events + (try applyRecorded(at: kernel.tick, recording: recording))
    }

    /// Applies the timeline's actions at `tick`, logging them when recording.
    @discardableResult
    mutating func applyRecorded(at tick: Int, recording: Bool) throws(ScenarioError) -> [Event] {
        let events = try timeline.apply(at: tick, to: &kernel)
        if recording { log.append(contentsOf: events) }
        return events
    }

    /// Puts the kernel back at a keyframe, with that tick's actions applied.
    mutating func restore(_ frame: Keyframe) {
        kernel = keyframes.restore(frame, samples: samples, log: log)
        replaying { run throws(ScenarioError) in try run.applyRecorded(at: frame.tick, recording: false) }
    }

    /// Forgets everything computed or recorded after `position`.
    mutating func truncateFuture() {
        let now = position
        frontier = now
        timeline.truncate(after: now)
        keyframes.truncate(after: now)
        samples.truncate(to: now + 1)
        log.truncate(after: now)
        detected.removeAll { $0.tick > now }
    }

    /// Replays recorded actions. They applied when they were taken (or when
    /// the run was created), and the kernel is deterministic, so they apply
    /// again; should one ever fail, it and everything after it are dropped,
    /// so the kernel never disagrees with its timeline.
    mutating func replaying(_ body: (inout Run) throws(ScenarioError) -> Void) {
        do {
            try body(&self)
        } catch {
            assertionFailure("a recorded action failed on replay: \(error)")
            timeline.truncate(after: position - 1)
            truncateFuture()
        }
    }
}
