/// Markers: the ticks worth jumping to, for `[`/`]` and the history graph.
extension Run {
    /// Every marker known, by tick: what the kernel and the detectors
    /// reported up to `frontier`, and every user action of the timeline.
    public var markers: [Marker] {
        let actions = timeline.entries.map { Marker(tick: $0.tick, kind: .userAction, pid: $0.action.pid) }
        var merged: [Marker] = []
        merged.reserveCapacity(detected.count + actions.count)
        var i = 0, j = 0
        while i < detected.count || j < actions.count {
            // At one tick the kernel's markers come first: actions follow the step.
            if j == actions.count || (i < detected.count && detected[i].tick <= actions[j].tick) {
                merged.append(detected[i])
                i += 1
            } else {
                merged.append(actions[j])
                j += 1
            }
        }
        return merged
    }

    /// The kernel's markers at `tick` (not user actions), found from the end:
    /// auto-pause asks for the tick just stepped, which is the newest.
    public func detectedMarkers(at tick: Int) -> [Marker] {
        var found: [Marker] = []
        for m in detected.reversed() {
            if m.tick < tick { break }
            if m.tick == tick { found.append(m) }
        }
        return found.reversed()
    }

    /// The last marker before `tick`.
    public func previousMarker(before tick: Int) -> Marker? {
        markers.last { $0.tick < tick }
    }

    /// The first known marker after `tick` (markers past `frontier` are not
    /// known until computed: see `seekToNextMarker`).
    public func nextMarker(after tick: Int) -> Marker? {
        markers.first { $0.tick > tick }
    }

    /// Goes to the next marker after the position, computing ahead (at most
    /// to `limit`) when none is known yet. Returns it, or nil with the run
    /// standing at `limit` (or its panic); it never goes past `limit`.
    @discardableResult
    public mutating func seekToNextMarker(limit: Int) -> Marker? {
        if let known = nextMarker(after: position), known.tick <= limit {
            seek(to: known.tick)
            return known
        }
        seek(to: Swift.max(position, Swift.min(frontier, limit)))
        while position < limit && kernel.panicVerdict == nil {
            step()
            if let found = nextMarker(after: position - 1), found.tick == position { return found }
        }
        return nil
    }
}
