/// When the main loop steps, measures and waits: a pure function of the
/// clock readings and the app's run state, so the pace is tested without a
/// terminal or a real clock. Times are milliseconds on one monotonic clock.
struct Pacer {
    /// While running, a frame every 200 ms at most (5 a second; htop
    /// redraws every 1.5 s, btop every 2): the counters of a running lab
    /// read no better faster, and every frame costs CPU and terminal bytes
    /// (docs/performance.md measures it beside htop). A key, or a pause,
    /// draws at once.
    static let frameMs = 200
    /// At "max" speed (and during a long move) the loop steps for this long
    /// between looks at the keyboard.
    static let sliceMs = 25

    /// Ticks are due since `origin` at the current speed; `stepped` of them are done.
    private(set) var origin: Int
    private(set) var stepped = 0
    private var pacedSpeed: Int?
    private var wasRunning = false
    /// The rate reached: ticks since `rateTick` over the time since `rateStart`.
    private var rateStart: Int
    private var rateTick: Int

    init(now: Int, tick: Int, speed: Int?) {
        origin = now
        rateStart = now
        rateTick = tick
        pacedSpeed = speed
    }

    /// Starts the pace over when the app started or stopped running or
    /// changed speed. Returns true when it did: the rate reached is unknown again.
    mutating func follow(running: Bool, speed: Int?, now: Int, tick: Int) -> Bool {
        guard running != wasRunning || speed != pacedSpeed else { return false }
        origin = now
        stepped = 0
        pacedSpeed = speed
        wasRunning = running
        rateStart = now
        rateTick = tick
        return true
    }

    /// The run stopped by itself (its end, or the event it ran until).
    mutating func stopped() { wasRunning = false }

    /// Ticks to step now at `speed` ticks a second: those due since `origin`,
    /// at most two frames' worth at once (the loop wakes once a frame, a
    /// little late at times, and must not fall behind). More than a second
    /// behind, the pace stops trying to catch up.
    mutating func ticksDue(now: Int, speed: Int) -> Int {
        let due = (now - origin) * speed / 1000
        if due - stepped > speed {
            origin = now - 1000 * stepped / Swift.max(1, speed)
        }
        return Swift.min(Swift.max(0, due - stepped), Swift.max(1, speed * 2 * Pacer.frameMs / 1000))
    }

    mutating func didStep(_ ticks: Int) { stepped += ticks }

    /// Ticks a second over about the last second, once a second has passed
    /// since the last measurement; nil before.
    mutating func rate(now: Int, tick: Int) -> Int? {
        let elapsed = now - rateStart
        guard elapsed >= 1000 else { return nil }
        let rate = Swift.max(0, tick - rateTick) * 1000 / elapsed
        rateStart += elapsed
        rateTick = tick
        return rate
    }

    /// Whether to draw a changed screen now: at most one frame per `frameMs`
    /// while running; at once while paused.
    static func shouldDraw(dirty: Bool, running: Bool, now: Int, lastFrame: Int) -> Bool {
        dirty && (now - lastFrame >= frameMs || !running)
    }

    /// How long to wait for a key (-1: forever, so a paused lab costs no CPU):
    /// while running, until the next tick is due but not before the next
    /// frame, so the ticks of a frame are stepped in one wake-up (at 100
    /// ticks a second, 5 wake-ups instead of 100: each cost a poll and a
    /// context switch, and the tick after it ran on cold caches); until the
    /// next frame if one is pending; no wait at "max" speed or during a long move.
    func waitMs(now: Int, running: Bool, speed: Int?, moving: Bool, dirty: Bool, lastFrame: Int) -> Int {
        var timeout = moving ? 0 : -1
        if running {
            let nextFrameAt = lastFrame + Pacer.frameMs
            if let speed {
                let nextTickAt = origin + (stepped + 1) * 1000 / speed
                timeout = Swift.max(0, (dirty ? nextFrameAt : Swift.max(nextTickAt, nextFrameAt)) - now)
            } else {
                timeout = 0
            }
        }
        return timeout
    }
}
